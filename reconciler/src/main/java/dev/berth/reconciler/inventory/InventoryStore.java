package dev.berth.reconciler.inventory;

import java.io.IOException;

/** Where the inventory lives between passes (atomically replaced on save). */
public interface InventoryStore {
  Inventory load() throws IOException;

  void save(Inventory inventory) throws IOException;
}
