package dev.berth.reconciler.inventory;

import dev.berth.reconciler.model.RemovePolicy;
import dev.berth.reconciler.plan.ActionClass;

/**
 * A container berth created: enough to remove it safely when its manifest is gone, the activation
 * still owed to it when a pass was interrupted after writing its files, and the files berth rolled
 * back on this host (not tried again until the manifests render it differently).
 */
public record InventoryEntry(
    String name,
    RemovePolicy removePolicy,
    String stateDir,
    ActionClass pending,
    RolledBack rolledBack) {

  public InventoryEntry(
      String name, RemovePolicy removePolicy, String stateDir, ActionClass pending) {
    this(name, removePolicy, stateDir, pending, null);
  }

  public InventoryEntry withPending(ActionClass action) {
    return new InventoryEntry(name, removePolicy, stateDir, action, rolledBack);
  }

  public InventoryEntry withRolledBack(RolledBack rolled) {
    return new InventoryEntry(name, removePolicy, stateDir, pending, rolled);
  }

  /**
   * A rollback: the digest of the files that failed ({@code ContainerFiles.digest}), the revision
   * they came from, the generation that failed and the one restored, when, and why.
   */
  public record RolledBack(
      String digest,
      String revision,
      int failedGeneration,
      int restoredGeneration,
      String time,
      String message) {}
}
