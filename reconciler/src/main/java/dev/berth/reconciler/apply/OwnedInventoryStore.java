package dev.berth.reconciler.apply;

import java.io.IOException;

/**
 * One owner's share of the inventory that the Git agent and {@code berth create} keep in one store:
 * an {@link Applier} given this sees only its owner's containers (so it never plans to prune the
 * others, and its mass-prune guard counts only its own), and saving keeps the other owner's share
 * as the store has it now. The caller holds the {@link HostLock} across load and save.
 */
public final class OwnedInventoryStore implements InventoryStore {
  private final InventoryStore whole;
  private final Owner owner;

  public OwnedInventoryStore(InventoryStore whole, Owner owner) {
    this.whole = whole;
    this.owner = owner;
  }

  @Override
  public Inventory load() throws IOException {
    return whole.load().share(owner);
  }

  @Override
  public void save(Inventory share) throws IOException {
    whole.save(whole.load().merge(owner, share));
  }
}
