package dev.berth.reconciler.apply;

import dev.berth.reconciler.inventory.Inventory;
import dev.berth.reconciler.inventory.InventoryStore;
import dev.berth.reconciler.inventory.OwnedInventoryStore;
import dev.berth.reconciler.inventory.Owner;
import dev.berth.reconciler.inventory.Provenance;
import dev.berth.reconciler.model.Container;
import dev.berth.reconciler.plan.ActionClass;
import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The Git agent's way onto a host that it shares with imperative containers: it takes the host lock
 * for a pass, leaves the imperative containers out of the pass (never pruned, never changed) and
 * turns a Git manifest that claims an imperative container's name into a conflict instead of a
 * takeover.
 */
public final class GitShare {
  private final InventoryStore whole;
  private final HostLock lock;

  public GitShare(InventoryStore whole, HostLock lock) {
    this.whole = whole;
    this.lock = lock;
  }

  /**
   * Takes the host lock. While it is held no imperative command runs (they take the same lock), so
   * {@link #imperative()} is read once, here, not again at each of a pass's guarded file writes (3
   * per new container, each of which loaded the whole inventory).
   */
  public HostLock.Held lock(Consumer<String> waiting) throws IOException {
    HostLock.Held held = lock.acquire(waiting);
    try {
      imperativeWhileLocked = imperativeNow();
    } catch (IOException | RuntimeException e) {
      held.close();
      throw e;
    }
    return () -> {
      imperativeWhileLocked = null;
      held.close();
    };
  }

  /** The inventory store for the Git pass: Git's share only. */
  public InventoryStore inventory() {
    return new OwnedInventoryStore(whole, Owner.GIT);
  }

  /** The names that belong to imperative containers now. */
  public Set<String> imperative() throws IOException {
    Set<String> locked = imperativeWhileLocked;
    return locked != null ? locked : imperativeNow();
  }

  private Set<String> imperativeNow() throws IOException {
    Inventory current = whole.load();
    Imperative last = imperative;
    if (last == null || last.from() != current) {
      last = new Imperative(current, Set.copyOf(current.ownedBy(Owner.IMPERATIVE)));
      imperative = last;
    }
    return last.names();
  }

  /** The imperative names of the inventory last loaded: most passes load the same one. */
  private record Imperative(Inventory from, Set<String> names) {}

  private volatile Imperative imperative;

  /** The imperative names read when the lock was taken; null while it is not held. */
  private volatile Set<String> imperativeWhileLocked;

  /**
   * The desired containers that claim an imperative container's name, each with why Git does not
   * take it over: the pass reports them as conflicts.
   */
  public static Map<String, String> claims(Set<String> imperative, List<Container> containers) {
    Map<String, String> claims = new LinkedHashMap<>();
    for (Container container : containers) {
      if (imperative.contains(container.name())) {
        claims.put(
            container.name(),
            container.name()
                + " is an imperative container (berth create); Git does not take it over:"
                + " remove it with berth remove "
                + container.name()
                + " or rename the manifest");
      }
    }
    return claims;
  }

  /**
   * Records, for {@code berth list}, the revision and image of each Git container that converged in
   * a pass; {@code updated} moves only when the container was acted on. One save, and only when
   * something changed.
   */
  public void recordConverged(
      String revision,
      Map<String, Container> containers,
      List<ContainerResult> results,
      Instant now)
      throws IOException {
    Inventory inventory = whole.load();
    Inventory changed = inventory;
    for (ContainerResult result : results) {
      Container container = containers.get(result.name());
      if (container == null
          || result.outcome() != Outcome.CONVERGED
          || inventory.get(result.name()).isEmpty()
          || inventory.owner(result.name()).orElse(Owner.IMPERATIVE) != Owner.GIT) {
        continue;
      }
      Provenance before = inventory.provenance().get(result.name());
      if (result.action() == ActionClass.NONE
          && before != null
          && revision.equals(before.revision())
          && before.updated() != null) {
        continue; // recorded at this revision already (one revision, one manifest), nothing done
      }
      String updated =
          result.action() != ActionClass.NONE || before == null || before.updated() == null
              ? now.toString()
              : before.updated();
      Provenance after =
          new Provenance(Owner.GIT, ImageLabel.of(container), revision, updated, null);
      if (!after.equals(before)) {
        changed = changed.with(result.name(), after);
      }
    }
    if (changed != inventory) {
      whole.save(changed);
    }
  }
}
