package dev.berth.reconciler.inventory;

import dev.berth.reconciler.model.RemovePolicy;
import dev.berth.reconciler.plan.ActionClass;

/**
 * A container berth created: enough to remove it safely when its manifest is gone, and the
 * activation still owed to it when a pass was interrupted after writing its files.
 */
public record InventoryEntry(
    String name, RemovePolicy removePolicy, String stateDir, ActionClass pending) {
  public InventoryEntry withPending(ActionClass action) {
    return new InventoryEntry(name, removePolicy, stateDir, action);
  }
}
