package dev.berth.reconciler.pass;

import dev.berth.reconciler.host.HostSnapshot;
import dev.berth.reconciler.host.UnitStatus;
import dev.berth.reconciler.inventory.InventoryEntry;
import dev.berth.reconciler.model.Activation.Strategy;
import dev.berth.reconciler.model.Container;
import dev.berth.reconciler.model.RemovePolicy;
import dev.berth.reconciler.model.RunState;
import dev.berth.reconciler.plan.ActionClass;
import dev.berth.reconciler.plan.Plan;
import dev.berth.reconciler.plan.PlannedAction;
import dev.berth.reconciler.render.HostPaths;
import dev.berth.reconciler.render.HostRendering;
import dev.berth.reconciler.render.UnbuiltSystem;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Decides a whole pass, once: from the file plan (what differs in the files), what runs on the
 * host, berth's inventory and the policy, every container's final action and its reason — start and
 * stop of units in the wrong state, an activation an interrupted pass still owes, removal of what
 * the inventory holds and the manifests no longer place here, what is skipped (not berth's,
 * suspended, backing off, a build under way, outside its maintenance window), failed (a build that
 * failed) or blocked (behind a failed dependency), and the refusal of a pass that would remove too
 * much. Pure: the executor only carries the plan out, and {@code berth plan} prints it.
 */
public final class PassPlanner {

  /**
   * @param files the file plan of the desired containers and zones ({@code Planner})
   * @param containers the desired containers the plan is for
   * @param rendering their rendering (for the NixOS systems not built yet)
   * @param claimed desired names that belong to someone else on this host (imperative containers),
   *     with the reason: reported as conflicts, never acted on
   */
  public PassPlan plan(
      Plan files,
      List<Container> containers,
      HostRendering rendering,
      Map<String, String> claimed,
      Observation observed,
      PassPolicy policy) {
    Map<String, Container> byName =
        containers.stream().collect(Collectors.toMap(Container::name, Function.identity()));
    Map<String, ContainerDecision> decisions = new LinkedHashMap<>();
    claimed.forEach(
        (name, why) ->
            decisions.put(
                name,
                ContainerDecision.skip(
                    name, ActionClass.CONFLICT, SkipReason.NOT_BERTHS, why, false)));
    List<PlannedAction> zones = new ArrayList<>();
    for (PlannedAction planned : files.actions()) {
      if (planned.subject() == PlannedAction.Subject.ZONE) {
        zones.add(planned);
      } else {
        Container container = byName.get(planned.name());
        ContainerDecision decided = decide(planned, container, rendering, observed, policy);
        decisions.put(planned.name(), restrict(decided, policy));
      }
    }
    for (InventoryEntry entry : observed.inventory().containers().values()) {
      if (!byName.containsKey(entry.name()) && !claimed.containsKey(entry.name())) {
        decisions.put(entry.name(), restrict(removal(entry), policy));
      }
    }
    Dependents.blockBehindFailures(decisions, byName);
    List<ContainerDecision> all = List.copyOf(decisions.values());
    Optional<String> refusal = MassRemoval.refusal(all, observed.inventory(), policy);
    return new PassPlan(
        files.host(), all, held(zones, policy), policy.holdZones(), refusal, files.current());
  }

  /** The zones' actions; while held, what would change is reported as skipped. */
  private static List<PlannedAction> held(List<PlannedAction> zones, PassPolicy policy) {
    if (!policy.holdZones()) {
      return zones;
    }
    return zones.stream()
        .map(
            zone ->
                zone.action() == ActionClass.NONE
                    ? zone
                    : PlannedAction.zone(
                        zone.name(),
                        zone.action(),
                        "skipped (the whole agent is suspended): " + zone.reason()))
        .toList();
  }

  /**
   * Removal of what the inventory holds, whatever activation an interrupted pass still owed it: a
   * container Git no longer places here is never started again.
   */
  private static ContainerDecision removal(InventoryEntry entry) {
    boolean deletes =
        entry.removePolicy() == RemovePolicy.DELETE
            && entry.stateDir().equals(HostPaths.stateDir(entry.name()));
    String state =
        deletes
            ? "the state directory " + entry.stateDir() + " is deleted (removePolicy: Delete)"
            : "the state directory " + entry.stateDir() + " stays";
    return ContainerDecision.remove(
        entry.name(), "no longer placed on this host; berth's files go, " + state);
  }

  /** The container's action given what runs and what the inventory says. */
  private static ContainerDecision decide(
      PlannedAction planned,
      Container container,
      HostRendering rendering,
      Observation observed,
      PassPolicy policy) {
    String name = planned.name();
    Optional<InventoryEntry> entry = observed.inventory().get(name);
    Optional<HostSnapshot> snapshot = observed.snapshot();
    UnitStatus status = snapshot.map(s -> s.unit(HostPaths.unit(name))).orElse(UnitStatus.INACTIVE);
    Optional<ContainerDecision> rolledBack = rolledBack(planned, entry, rendering);
    if (rolledBack.isPresent()) {
      return rolledBack.get();
    }
    switch (planned.action()) {
      case CONFLICT -> {
        return ContainerDecision.skip(
            name, ActionClass.CONFLICT, SkipReason.NOT_BERTHS, planned.reason(), false);
      }
      case REBUILD -> {
        if (container.spec().image().isNixos()) {
          return waitForSystem(planned, rendering);
        }
        return replaceRoot(planned, container, status, snapshot.isPresent(), policy.selfHeal());
      }
      case CREATE -> {
        boolean foreign =
            entry.isEmpty()
                && !container.metadata().adopts()
                && snapshot.isPresent()
                && (snapshot.get().machines().contains(name) || status.isActive());
        if (foreign) {
          return ContainerDecision.skip(
              name,
              ActionClass.CONFLICT,
              SkipReason.NOT_BERTHS,
              "a machine "
                  + name
                  + " already runs and berth did not create it; annotate the manifest with"
                  + " berth.dev/adopt: \"true\" to take it over",
              false);
        }
        if (rendering.unbuilt(name).isPresent()) {
          return waitForSystem(planned, rendering);
        }
        return act(
            planned, container, status, snapshot.isPresent(), policy.selfHeal(), owes(entry));
      }
      default -> {
        PlannedAction owed = planned;
        if (planned.action() == ActionClass.NONE
            && entry.isPresent()
            && entry.get().pending() != null) {
          ActionClass pending = entry.get().pending();
          owed =
              PlannedAction.container(
                  name,
                  pending,
                  "finishing the " + pending.label() + " that an earlier pass did not complete");
        }
        if (snapshot.isEmpty()) {
          return act(owed, container, status, false, policy.selfHeal(), false);
        }
        boolean wantRunning = container.spec().state() == RunState.RUNNING;
        if (owed.action() == ActionClass.NONE && status.isChanging()) {
          // Someone's job is under way (an administrator's stop, say): replacing it would cancel
          // it.
          return ContainerDecision.skip(
              name,
              ActionClass.NONE,
              SkipReason.JOB_IN_PROGRESS,
              "unit is " + status + "; looking again when it settles",
              false);
        }
        if (owed.action() == ActionClass.NONE && wantRunning && !status.isActive()) {
          owed =
              PlannedAction.container(
                  name,
                  ActionClass.START,
                  "unit is " + status + " (drift: stopped outside berth); starting it");
        } else if (owed.action() == ActionClass.NONE && !wantRunning && status.isActive()) {
          owed =
              PlannedAction.container(
                  name, ActionClass.STOP, "state: stopped, but the unit is " + status);
        }
        return act(owed, container, status, true, policy.selfHeal(), owes(entry));
      }
    }
  }

  /**
   * A change this host rolled back is not tried again while the manifests render the same files:
   * the container keeps the generation it went back to (docs/rollback.md).
   */
  private static Optional<ContainerDecision> rolledBack(
      PlannedAction planned, Optional<InventoryEntry> entry, HostRendering rendering) {
    InventoryEntry.RolledBack rolled = entry.map(InventoryEntry::rolledBack).orElse(null);
    if (rolled == null
        || planned.action() == ActionClass.NONE
        || planned.action() == ActionClass.CONFLICT) {
      return Optional.empty();
    }
    boolean same =
        rendering
            .container(planned.name())
            .map(files -> files.digest().equals(rolled.digest()))
            .orElse(false);
    if (!same) {
      return Optional.empty();
    }
    return Optional.of(
        ContainerDecision.skip(
            planned.name(),
            planned.action(),
            SkipReason.ROLLED_BACK,
            "rolled back at "
                + rolled.time()
                + (rolled.revision().isEmpty() ? "" : " (revision " + rolled.revision() + ")")
                + ": "
                + rolled.message()
                + "; it keeps generation "
                + rolled.restoredGeneration()
                + " until its manifest changes",
            false));
  }

  /** Whether an interrupted pass owed the container an activation: a job of it may be queued. */
  private static boolean owes(Optional<InventoryEntry> entry) {
    return entry.isPresent() && entry.get().pending() != null;
  }

  /** An acting decision with its unit step. */
  private static ContainerDecision act(
      PlannedAction planned,
      Container container,
      UnitStatus status,
      boolean live,
      boolean selfHeal,
      boolean owed) {
    boolean wantRunning = container.spec().state() == RunState.RUNNING;
    boolean reset = status.isFailed();
    if (planned.action() == ActionClass.REBUILD) {
      // An image upgrade an interrupted pass still owes.
      return replaceRoot(planned, container, status, live, selfHeal);
    }
    if (live
        && !wantRunning
        && (status.isActive() || owed)
        && planned.action() != ActionClass.STOP) {
      // Stopped in Git: its new files take effect when it starts. A unit that looks inactive is
      // stopped too when an interrupted pass owed it an activation, so that a start job that pass
      // left in systemd's queue is replaced.
      return ContainerDecision.act(
          planned.name(),
          planned.action(),
          planned.reason() + "; state: stopped, so its unit is stopped",
          mentionsDrift(planned),
          UnitStep.stop());
    }
    if (live && !status.isActive() && changesARunningUnit(planned.action())) {
      return notRunning(planned, wantRunning, status, selfHeal);
    }
    UnitStep step =
        switch (planned.action()) {
          case CREATE ->
              wantRunning
                  ? UnitStep.start(reset, "")
                  : UnitStep.keep("files written; state: stopped");
          case START -> UnitStep.start(reset, "");
          case STOP -> UnitStep.stop();
          case RESTART -> UnitStep.restart();
          case RELOAD -> UnitStep.reload();
          case LIVE -> UnitStep.setLimits();
          case WRITE ->
              UnitStep.keep(
                  container.spec().activation().strategy() == Strategy.NONE
                      ? "files written; strategy none leaves the container alone"
                      : "files written; the container is left alone");
          case NONE -> UnitStep.keep(planned.reason());
          default -> throw new IllegalArgumentException("not an activation: " + planned.line());
        };
    return ContainerDecision.act(
        planned.name(), planned.action(), planned.reason(), mentionsDrift(planned), step);
  }

  /**
   * A new tarball image: its root was staged beside the current one while the files were written;
   * the unit is stopped (always: that also replaces a job a killed pass left), the root swapped,
   * and the unit started on it unless it should not run (stopped in Git, or stopped outside berth
   * with self-heal off).
   */
  private static ContainerDecision replaceRoot(
      PlannedAction planned,
      Container container,
      UnitStatus status,
      boolean live,
      boolean selfHeal) {
    boolean wantRunning = container.spec().state() == RunState.RUNNING;
    UnitStep step;
    boolean heals = false;
    if (!wantRunning) {
      step = UnitStep.replaceRootStopped("; state: stopped, so its unit stays stopped");
    } else if (live && !status.isActive() && !selfHeal) {
      step =
          UnitStep.replaceRootStopped(
              "; the unit is "
                  + status
                  + " (stopped outside berth) and stays so (selfHeal: false)");
    } else if (live && !status.isActive()) {
      heals = true;
      step =
          UnitStep.replaceRoot(
              status.isFailed(), " (it was " + status + ", stopped outside berth)");
    } else {
      step = UnitStep.replaceRoot(status.isFailed(), "");
    }
    return ContainerDecision.act(
        planned.name(), planned.action(), planned.reason(), heals || mentionsDrift(planned), step);
  }

  private static boolean changesARunningUnit(ActionClass action) {
    return action == ActionClass.RESTART
        || action == ActionClass.RELOAD
        || action == ActionClass.LIVE;
  }

  /**
   * A restart, reload or live change owed to a unit that is not running: the new files take effect
   * when it starts. It is started only to heal drift (self-heal on), never when the manifest says
   * stopped.
   */
  private static ContainerDecision notRunning(
      PlannedAction planned, boolean wantRunning, UnitStatus status, boolean selfHeal) {
    boolean heals = wantRunning && selfHeal;
    UnitStep step;
    if (!wantRunning) {
      step = UnitStep.keep("files written; unit stays stopped");
    } else if (!selfHeal) {
      step =
          UnitStep.keep(
              "files written; the unit is "
                  + status
                  + " (stopped outside berth) and stays so (selfHeal: false)");
    } else {
      step = UnitStep.start(status.isFailed(), " (it was " + status + ", stopped outside berth)");
    }
    return ContainerDecision.act(
        planned.name(), planned.action(), planned.reason(), heals || mentionsDrift(planned), step);
  }

  /** The file planner and the unit checks say "drift" in the reasons they give for it. */
  private static boolean mentionsDrift(PlannedAction planned) {
    return planned.reason().contains("drift");
  }

  /**
   * A {@code nixos} container without a built system is left as it is, running what it runs: it
   * waits while its build is under way, and is reported failed when the build failed. When no
   * builder was asked (a plan or render without one), it keeps the file plan's class and reason.
   */
  private static ContainerDecision waitForSystem(PlannedAction planned, HostRendering rendering) {
    UnbuiltSystem unbuilt = rendering.unbuilt(planned.name()).orElse(UnbuiltSystem.NOT_BUILT);
    if (unbuilt.equals(UnbuiltSystem.NOT_BUILT)) {
      return ContainerDecision.buildFirst(planned.name(), planned.action(), planned.reason());
    }
    return unbuilt.failed()
        ? ContainerDecision.fail(planned.name(), planned.action(), unbuilt.reason())
        : ContainerDecision.skip(
            planned.name(), planned.action(), SkipReason.BUILDING, unbuilt.reason(), false);
  }

  /**
   * What the policy leaves of a decision: frozen containers, pruning, healing drift, and the
   * actions that maintenance windows hold (skipped as a frozen container is: nothing of it
   * changes).
   */
  private static ContainerDecision restrict(ContainerDecision decision, PassPolicy policy) {
    if (!decision.acts()) {
      return decision;
    }
    String name = decision.name();
    String frozen = policy.frozen().get(name);
    if (frozen != null && decision.action() != ActionClass.NONE) {
      return ContainerDecision.skip(
          name, decision.action(), SkipReason.HELD, frozen, decision.drifted());
    }
    if (!policy.prune() && decision.action() == ActionClass.REMOVE) {
      return ContainerDecision.skip(
          name,
          decision.action(),
          SkipReason.NOT_PRUNED,
          "no longer placed here; not removed (prune: false)",
          false);
    }
    if (!policy.selfHeal() && decision.drifted()) {
      return ContainerDecision.skip(
          name,
          decision.action(),
          SkipReason.DRIFT_NOT_HEALED,
          "drift reported, not corrected (selfHeal: false): " + decision.reason(),
          true);
    }
    Optional<Instant> window = policy.held().until(decision.action());
    if (window.isPresent() && decision.action() != ActionClass.NONE) {
      return ContainerDecision.skip(
          name,
          decision.action(),
          SkipReason.OUTSIDE_WINDOW,
          outsideWindow(window.get()) + ": " + decision.reason(),
          decision.drifted());
    }
    return decision;
  }

  private static String outsideWindow(Instant opens) {
    return opens.equals(HeldActions.NEVER)
        ? "outside its maintenance window, and none opens again"
        : "outside its maintenance window until " + opens;
  }
}
