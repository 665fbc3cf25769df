package dev.berth.reconciler.apply;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** What berth created on a host; only what is here may ever be removed. */
public record Inventory(Map<String, InventoryEntry> containers) {
  public static final Inventory EMPTY = new Inventory(Map.of());

  public Inventory {
    containers = java.util.Collections.unmodifiableMap(new TreeMap<>(containers));
  }

  public Optional<InventoryEntry> get(String name) {
    return Optional.ofNullable(containers.get(name));
  }

  public Inventory with(InventoryEntry entry) {
    Map<String, InventoryEntry> copy = new TreeMap<>(containers);
    copy.put(entry.name(), entry);
    return new Inventory(copy);
  }

  public Inventory without(String name) {
    Map<String, InventoryEntry> copy = new TreeMap<>(containers);
    copy.remove(name);
    return new Inventory(copy);
  }
}
