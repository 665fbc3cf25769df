package dev.berth.reconciler.model;

/** A {@code Zone} document: the bridge {@code vz-NAME} that containers of the zone share. */
public record Zone(ObjectMeta metadata, ZoneSpec spec) {
  public String name() {
    return metadata.name();
  }
}
