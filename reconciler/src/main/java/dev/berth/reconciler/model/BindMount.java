package dev.berth.reconciler.model;

/** A host path bound into the container, read-write unless {@code readOnly}. */
public record BindMount(String hostPath, String containerPath, Boolean readOnly) {
  public BindMount {
    containerPath = containerPath == null ? hostPath : containerPath;
    readOnly = readOnly != null && readOnly;
  }
}
