package dev.berth.reconciler.inventory;

import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What berth created on a host; only what is here may ever be removed. Each container belongs to
 * one {@link Owner}: Git unless its provenance says imperative (inventories written before
 * imperative containers existed have no provenance, so everything in them is Git's). A provenance
 * without an entry is an imperative name claimed by {@code berth create} before its files exist.
 */
public record Inventory(
    Map<String, InventoryEntry> containers, Map<String, Provenance> provenance) {
  public static final Inventory EMPTY = new Inventory(Map.of(), Map.of());

  public Inventory {
    containers = Collections.unmodifiableMap(new TreeMap<>(containers));
    provenance =
        Collections.unmodifiableMap(new TreeMap<>(provenance == null ? Map.of() : provenance));
  }

  public Optional<InventoryEntry> get(String name) {
    return Optional.ofNullable(containers.get(name));
  }

  /** The owner of a container or claimed name; empty when berth knows nothing of it. */
  public Optional<Owner> owner(String name) {
    Provenance recorded = provenance.get(name);
    if (recorded != null) {
      return Optional.of(recorded.owner());
    }
    return containers.containsKey(name) ? Optional.of(Owner.GIT) : Optional.empty();
  }

  /** The names (entries and claims) that belong to {@code owner}. */
  public Set<String> ownedBy(Owner owner) {
    Set<String> names = new TreeSet<>();
    containers.keySet().stream().filter(n -> owner(n).orElseThrow() == owner).forEach(names::add);
    provenance.forEach(
        (name, recorded) -> {
          if (recorded.owner() == owner) {
            names.add(name);
          }
        });
    return names;
  }

  /** The part of the inventory that {@code owner} sees and changes. */
  public Inventory share(Owner owner) {
    Set<String> names = ownedBy(owner);
    Map<String, InventoryEntry> entries = new TreeMap<>(containers);
    entries.keySet().retainAll(names);
    Map<String, Provenance> records = new TreeMap<>(provenance);
    records.keySet().retainAll(names);
    return new Inventory(entries, records);
  }

  /**
   * This inventory with {@code owner}'s share replaced by {@code share}. A name that belongs to the
   * other owner is never taken over: its entry in {@code share} is ignored.
   */
  public Inventory merge(Owner owner, Inventory share) {
    Set<String> others = new TreeSet<>();
    for (Owner other : Owner.values()) {
      if (other != owner) {
        others.addAll(ownedBy(other));
      }
    }
    Map<String, InventoryEntry> entries = new TreeMap<>(containers);
    entries.keySet().retainAll(others);
    share.containers.forEach((name, entry) -> entries.putIfAbsent(name, entry));
    Map<String, Provenance> records = new TreeMap<>(provenance);
    records.keySet().retainAll(others);
    share.provenance.forEach(
        (name, recorded) -> {
          if (!others.contains(name)) {
            records.put(name, recorded);
          }
        });
    return new Inventory(entries, records);
  }

  public Inventory with(InventoryEntry entry) {
    Map<String, InventoryEntry> copy = new TreeMap<>(containers);
    copy.put(entry.name(), entry);
    return new Inventory(copy, provenance);
  }

  public Inventory with(String name, Provenance recorded) {
    Map<String, Provenance> copy = new TreeMap<>(provenance);
    copy.put(name, recorded);
    return new Inventory(containers, copy);
  }

  /** Without the container's entry and its provenance. */
  public Inventory without(String name) {
    Map<String, InventoryEntry> copy = new TreeMap<>(containers);
    copy.remove(name);
    Map<String, Provenance> records = new TreeMap<>(provenance);
    records.remove(name);
    return new Inventory(copy, records);
  }
}
