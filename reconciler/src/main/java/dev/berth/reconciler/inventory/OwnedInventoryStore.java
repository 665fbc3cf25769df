package dev.berth.reconciler.inventory;

import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One owner's share of the inventory that the Git agent and {@code berth create} keep in one store:
 * a pass given this sees only its owner's containers (so it never plans to prune the others, and
 * its mass-prune guard counts only its own), and saving keeps the other owner's share as the store
 * has it now. The caller holds the host lock across load and save.
 */
public final class OwnedInventoryStore implements InventoryStore {
  private final InventoryStore whole;
  private final Owner owner;
  private final Optional<String> only;

  public OwnedInventoryStore(InventoryStore whole, Owner owner) {
    this(whole, owner, Optional.empty());
  }

  private OwnedInventoryStore(InventoryStore whole, Owner owner, Optional<String> only) {
    this.whole = whole;
    this.owner = owner;
    this.only = only;
  }

  /**
   * Only the named container of {@code owner}'s share: an imperative command's pass, which must see
   * no other container to remove; saving leaves the rest of the share as it is.
   */
  public static OwnedInventoryStore forContainer(InventoryStore whole, Owner owner, String name) {
    return new OwnedInventoryStore(whole, owner, Optional.of(name));
  }

  /** The last whole inventory loaded and this owner's share of it: most passes load the same. */
  private record Loaded(Inventory whole, Inventory share) {}

  private volatile Loaded loaded;

  @Override
  public Inventory load() throws IOException {
    Inventory current = whole.load();
    Loaded last = loaded;
    if (last != null && last.whole() == current) {
      return last.share();
    }
    Inventory share = current.share(owner);
    Inventory seen = only.map(name -> just(share, name)).orElse(share);
    loaded = new Loaded(current, seen);
    return seen;
  }

  @Override
  public void save(Inventory share) throws IOException {
    Inventory current = whole.load();
    Inventory saved = share;
    if (only.isPresent()) {
      String name = only.get();
      saved = current.share(owner).without(name);
      Optional<InventoryEntry> entry = share.get(name);
      if (entry.isPresent()) {
        saved = saved.with(entry.get());
      }
      Provenance recorded = share.provenance().get(name);
      if (recorded != null) {
        saved = saved.with(name, recorded);
      }
    }
    whole.save(current.merge(owner, saved));
  }

  private static Inventory just(Inventory share, String name) {
    Map<String, InventoryEntry> entries = new TreeMap<>();
    share.get(name).ifPresent(entry -> entries.put(name, entry));
    Map<String, Provenance> records = new TreeMap<>();
    Provenance recorded = share.provenance().get(name);
    if (recorded != null) {
      records.put(name, recorded);
    }
    return new Inventory(entries, records);
  }
}
