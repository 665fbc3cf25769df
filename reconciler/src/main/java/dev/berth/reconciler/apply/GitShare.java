package dev.berth.reconciler.apply;

import dev.berth.reconciler.model.Container;
import dev.berth.reconciler.plan.ActionClass;
import dev.berth.reconciler.render.ContainerFiles;
import dev.berth.reconciler.render.HostRendering;
import dev.berth.reconciler.render.UnbuiltSystem;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
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

  public HostLock.Held lock(Consumer<String> waiting) throws IOException {
    return lock.acquire(waiting);
  }

  /** The inventory store for the Git pass's {@link Applier}: Git's share only. */
  public InventoryStore inventory() {
    return new OwnedInventoryStore(whole, Owner.GIT);
  }

  /** The names that belong to imperative containers now. */
  public Set<String> imperative() throws IOException {
    return whole.load().ownedBy(Owner.IMPERATIVE);
  }

  /** The Git pass's desired containers, without those that claim an imperative name. */
  public record Split(
      List<Container> containers, HostRendering rendering, List<ContainerResult> conflicts) {}

  public static Split split(
      Set<String> imperative, List<Container> containers, HostRendering rendering) {
    List<Container> kept = new ArrayList<>();
    List<ContainerResult> conflicts = new ArrayList<>();
    for (Container container : containers) {
      if (imperative.contains(container.name())) {
        conflicts.add(
            new ContainerResult(
                container.name(),
                ActionClass.CONFLICT,
                Outcome.SKIPPED,
                container.name()
                    + " is an imperative container (berth create); Git does not take it over:"
                    + " remove it with berth remove "
                    + container.name()
                    + " or rename the manifest",
                false));
      } else {
        kept.add(container);
      }
    }
    List<ContainerFiles> files =
        rendering.containers().stream().filter(file -> !imperative.contains(file.name())).toList();
    Map<String, UnbuiltSystem> unbuilt = new HashMap<>(rendering.unbuilt());
    unbuilt.keySet().removeAll(imperative);
    return new Split(kept, new HostRendering(files, rendering.zoneFiles(), unbuilt), conflicts);
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
