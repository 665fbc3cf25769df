package dev.berth.reconciler.model;

/** A {@code Container} document: one systemd-nspawn machine. */
public record Container(ObjectMeta metadata, ContainerSpec spec) {
  public String name() {
    return metadata.name();
  }
}
