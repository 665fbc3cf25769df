package dev.berth.reconciler.apply;

import dev.berth.reconciler.generation.GenerationStore;
import dev.berth.reconciler.host.HostRuntime;
import dev.berth.reconciler.inventory.InventoryStore;
import dev.berth.reconciler.model.Container;
import dev.berth.reconciler.pass.Observation;
import dev.berth.reconciler.pass.PassPlan;
import dev.berth.reconciler.pass.PassPlanner;
import dev.berth.reconciler.pass.PassPolicy;
import dev.berth.reconciler.plan.InstalledFiles;
import dev.berth.reconciler.plan.Planner;
import dev.berth.reconciler.render.HostRendering;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * One reconcile pass over a view of the host (Git's share, or one imperative container): observe,
 * plan with the {@link PassPlanner}, and, unless only planning, let the {@link Applier} carry the
 * plan out. What {@code berth plan} prints is the plan that {@code apply} then executes.
 */
public final class HostPass {
  private final HostRuntime runtime;
  private final HostFiles files;
  private final InventoryStore inventory;
  private final Applier applier;

  public HostPass(
      HostRuntime runtime,
      HostFiles files,
      ImageInstaller images,
      GenerationStore generations,
      InventoryStore inventory,
      int parallelism) {
    this.runtime = runtime;
    this.files = files;
    this.inventory = inventory;
    this.applier = new Applier(runtime, files, images, generations, inventory, parallelism);
  }

  /** A pass that keeps no generations, so never rolls back: for tests of everything else. */
  public HostPass(
      HostRuntime runtime,
      HostFiles files,
      ImageInstaller images,
      InventoryStore inventory,
      int parallelism) {
    this(runtime, files, images, GenerationStore.NONE, inventory, parallelism);
  }

  /**
   * The desired containers of a pass, rendered, the names claimed by someone else, and the revision
   * they come from (empty for a directory).
   */
  public record Desired(
      String host,
      List<Container> containers,
      HostRendering rendering,
      Map<String, String> claimed,
      String revision) {
    public Desired {
      containers = List.copyOf(containers);
      claimed = Map.copyOf(claimed);
      revision = revision == null ? "" : revision;
    }

    public Desired(
        String host,
        List<Container> containers,
        HostRendering rendering,
        Map<String, String> claimed) {
      this(host, containers, rendering, claimed, "");
    }

    public static Desired of(String host, List<Container> containers, HostRendering rendering) {
      return new Desired(host, containers, rendering, Map.of());
    }
  }

  /** What the pass would do now, and from what it was decided. */
  private record Planned(PassPlan plan, Observation observed) {}

  public PassPlan plan(Desired desired, PassPolicy policy) throws IOException {
    return planned(desired, policy).plan();
  }

  public ApplyReport apply(Desired desired, PassPolicy policy, ApplyListener listener)
      throws IOException {
    Planned planned = planned(desired, policy);
    return applier.apply(
        planned.plan(),
        planned.observed().inventory(),
        desired.containers(),
        desired.rendering(),
        desired.revision(),
        listener);
  }

  private Planned planned(Desired desired, PassPolicy policy) throws IOException {
    Observation observed = Observation.live(runtime.observer().observe(), inventory.load());
    return new Planned(plan(desired, files, observed, policy), observed);
  }

  /**
   * The plan against a directory that stands for a host ({@code berth plan --root}): its files
   * only, no units; the containers with berth's marker stand for the inventory.
   */
  public static PassPlan planFiles(Desired desired, InstalledFiles installed) throws IOException {
    return plan(desired, installed, Observation.ofFiles(installed), PassPolicy.APPLY_ALL);
  }

  private static PassPlan plan(
      Desired desired, InstalledFiles installed, Observation observed, PassPolicy policy)
      throws IOException {
    var files =
        new Planner().plan(desired.host(), desired.containers(), desired.rendering(), installed);
    return new PassPlanner()
        .plan(
            files, desired.containers(), desired.rendering(), desired.claimed(), observed, policy);
  }
}
