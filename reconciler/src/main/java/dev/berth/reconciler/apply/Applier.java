package dev.berth.reconciler.apply;

import dev.berth.reconciler.host.CommandResult;
import dev.berth.reconciler.host.HostRuntime;
import dev.berth.reconciler.host.HostSnapshot;
import dev.berth.reconciler.host.JobResult;
import dev.berth.reconciler.host.RuntimeFailure;
import dev.berth.reconciler.host.UnitStatus;
import dev.berth.reconciler.model.Container;
import dev.berth.reconciler.model.RunState;
import dev.berth.reconciler.plan.ActionClass;
import dev.berth.reconciler.plan.Plan;
import dev.berth.reconciler.plan.PlannedAction;
import dev.berth.reconciler.plan.Planner;
import dev.berth.reconciler.render.ContainerFiles;
import dev.berth.reconciler.render.HostFile;
import dev.berth.reconciler.render.HostPaths;
import dev.berth.reconciler.render.HostRendering;
import dev.berth.reconciler.render.Marker;
import dev.berth.reconciler.render.UnbuiltSystem;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * One reconcile pass on a live host: plans from the files and unit states, writes files, then
 * activates each container as its plan class says, dependencies first and independent containers in
 * parallel. A container that fails does not stop the others; its dependents are blocked.
 *
 * <p>Crash safety: before any file of a container changes, the activation it is owed is recorded in
 * the inventory, and cleared only once it succeeded; a pass killed in between finishes the
 * activation on the next run, when the files already look converged.
 */
public final class Applier {
  private final HostRuntime runtime;
  private final HostFiles files;
  private final ImageInstaller images;
  private final InventoryStore inventoryStore;
  private final ApplyListener listener;
  private final int parallelism;

  public Applier(
      HostRuntime runtime,
      HostFiles files,
      ImageInstaller images,
      InventoryStore inventoryStore,
      ApplyListener listener,
      int parallelism) {
    this.runtime = runtime;
    this.files = files;
    this.images = images;
    this.inventoryStore = inventoryStore;
    this.listener = listener;
    this.parallelism = Math.max(1, parallelism);
  }

  /**
   * What a pass would do on the live host: the file plan, adjusted by the units' states (a stopped
   * container that should run is started, and the reverse) and by the inventory (removal only of
   * what berth created; an activation an interrupted pass still owes).
   */
  public List<PlannedAction> preview(
      String host, List<Container> containers, HostRendering rendering) throws IOException {
    Map<String, Container> byName =
        containers.stream().collect(Collectors.toMap(Container::name, Function.identity()));
    Inventory inventory = inventoryStore.load();
    HostSnapshot snapshot = runtime.observer().observe();
    Plan plan = new Planner().plan(host, containers, rendering, files);
    List<PlannedAction> actions = new ArrayList<>();
    for (PlannedAction planned : plan.actions()) {
      if (planned.subject() == PlannedAction.Subject.ZONE) {
        actions.add(planned);
        continue;
      }
      Decision decision =
          decide(planned, byName.get(planned.name()), snapshot, inventory, rendering);
      actions.add(
          decision.outcome == null
              ? decision.planned
              : PlannedAction.container(
                  planned.name(),
                  decision.outcome == Outcome.SKIPPED && rendering.unbuilt(planned.name()).isEmpty()
                      ? ActionClass.CONFLICT
                      : decision.planned.action(),
                  decision.message));
    }
    return actions;
  }

  public ApplyReport apply(String host, List<Container> containers, HostRendering rendering)
      throws IOException {
    return apply(host, containers, rendering, ApplyPolicy.APPLY_ALL);
  }

  public ApplyReport apply(
      String host, List<Container> containers, HostRendering rendering, ApplyPolicy policy)
      throws IOException {
    Map<String, Container> byName =
        containers.stream().collect(Collectors.toMap(Container::name, Function.identity()));
    Map<String, ContainerFiles> filesByName =
        rendering.containers().stream()
            .collect(Collectors.toMap(ContainerFiles::name, Function.identity()));
    Pass pass = new Pass(inventoryStore.load(), runtime.observer().observe(), policy.selfHeal());
    Plan plan = new Planner().plan(host, containers, rendering, files);

    List<Decision> decisions = new ArrayList<>();
    for (PlannedAction planned : plan.actions()) {
      if (planned.subject() == PlannedAction.Subject.CONTAINER) {
        decisions.add(
            restrict(
                decide(
                    planned, byName.get(planned.name()), pass.snapshot, pass.inventory, rendering),
                policy));
      }
    }
    String refusal = massRemoval(decisions, pass.inventory, policy);
    if (refusal != null) {
      return ApplyReport.refused(host, refusal);
    }
    List<Step> steps = new ArrayList<>();
    for (Decision decision : decisions) {
      PlannedAction planned = decision.planned;
      if (decision.drifted) {
        pass.drifted.add(planned.name());
      }
      if (decision.outcome == Outcome.SKIPPED) {
        pass.skip(decision.planned, decision.message);
      } else if (decision.outcome == Outcome.FAILED) {
        pass.fail(decision.planned, decision.message);
      } else {
        steps.add(
            new Step(decision.planned, decision.planned.action(), byName.get(planned.name())));
      }
    }
    for (Step step : steps) {
      if (step.action == ActionClass.REMOVE) {
        remove(step, pass);
      }
    }
    boolean unitsChanged = false;
    boolean networkChanged = writeZones(rendering) | pass.removedNetwork;
    for (Step step : steps) {
      if (step.action == ActionClass.REMOVE || pass.done(step.name)) {
        continue;
      }
      if (step.action != ActionClass.NONE) {
        listener.starting(step.planned);
      }
      FileChanges changes = writeFiles(step, filesByName.get(step.name), pass);
      unitsChanged |= changes.units;
      networkChanged |= changes.network;
    }
    if (unitsChanged || pass.removedUnits) {
      runtime.setup().reloadUnitFiles();
    }
    if (networkChanged) {
      try {
        runtime.network().reloadNetwork();
      } catch (RuntimeFailure e) {
        listener.note(
            "networkd did not reload its files (berth's network files need systemd-networkd"
                + " running: systemctl enable --now systemd-networkd): "
                + e.getMessage());
      }
    }
    activateInWaves(steps, byName, pass);
    if (!pass.inventory.equals(pass.saved)) {
      pass.save();
    }
    List<ContainerResult> results = new ArrayList<>();
    for (PlannedAction planned : plan.actions()) {
      ContainerResult result = pass.results.get(planned.name());
      if (planned.subject() == PlannedAction.Subject.CONTAINER && result != null) {
        results.add(result);
      }
    }
    return new ApplyReport(host, results, null);
  }

  /** What the policy leaves of a decision: frozen containers, pruning, healing drift. */
  private static Decision restrict(Decision decision, ApplyPolicy policy) {
    PlannedAction planned = decision.planned;
    String frozen = policy.frozen().get(planned.name());
    if (frozen != null && decision.outcome == null && planned.action() != ActionClass.NONE) {
      return new Decision(planned, Outcome.SKIPPED, frozen, decision.drifted);
    }
    if (!policy.prune() && planned.action() == ActionClass.REMOVE && decision.outcome == null) {
      return new Decision(
          planned, Outcome.SKIPPED, "no longer placed here; not removed (prune: false)", false);
    }
    if (!policy.selfHeal() && decision.drifted && decision.outcome == null) {
      return new Decision(
          planned,
          Outcome.SKIPPED,
          "drift reported, not corrected (selfHeal: false): " + planned.reason(),
          true);
    }
    return decision;
  }

  /** Refuses a pass that would remove every managed container, or more than the policy allows. */
  private static String massRemoval(
      List<Decision> decisions, Inventory inventory, ApplyPolicy policy) {
    long removals =
        decisions.stream()
            .filter(d -> d.outcome == null && d.planned.action() == ActionClass.REMOVE)
            .count();
    if (removals == 0) {
      return null;
    }
    if (!policy.allowEmpty() && removals >= inventory.containers().size()) {
      return "the pass would remove every managed container ("
          + removals
          + "); refused"
          + " (set sync.allowEmpty: true if that is what you want)";
    }
    if (removals > policy.maxRemovals()) {
      return "the pass would remove "
          + removals
          + " containers, more than sync.maxRemovals ("
          + policy.maxRemovals()
          + "); refused";
    }
    return null;
  }

  /** A container's decided action; {@code outcome} set when it ends before any work. */
  private record Decision(PlannedAction planned, Outcome outcome, String message, boolean drifted) {
    Decision(PlannedAction planned, Outcome outcome, String message) {
      this(planned, outcome, message, false);
    }

    static Decision act(PlannedAction planned) {
      return new Decision(planned, null, "", planned.reason().contains("drift"));
    }
  }

  /** What to do for one planned container, given the unit's state and the inventory. */
  private static Decision decide(
      PlannedAction planned,
      Container container,
      HostSnapshot snapshot,
      Inventory inventory,
      HostRendering rendering) {
    String name = planned.name();
    UnitStatus status = snapshot.unit(HostPaths.unit(name));
    var entry = inventory.get(name);
    switch (planned.action()) {
      case CONFLICT -> {
        return new Decision(planned, Outcome.SKIPPED, planned.reason());
      }
      case REMOVE -> {
        return entry.isEmpty()
            ? new Decision(planned, Outcome.SKIPPED, "not in berth's inventory; left alone")
            : Decision.act(planned);
      }
      case REBUILD -> {
        return waitForSystem(planned, rendering);
      }
      case CREATE -> {
        boolean foreign =
            entry.isEmpty()
                && !container.metadata().adopts()
                && (snapshot.machines().contains(name) || status.isActive());
        if (foreign) {
          return new Decision(
              planned,
              Outcome.SKIPPED,
              "a machine "
                  + name
                  + " already runs and berth did"
                  + " not create it; annotate the manifest with berth.dev/adopt: \"true\" to take it over");
        }
        if (rendering.unbuilt(name).isPresent()) {
          return waitForSystem(planned, rendering);
        }
        return Decision.act(planned);
      }
      default -> {
        ActionClass action = planned.action();
        if (action == ActionClass.NONE && entry.isPresent() && entry.get().pending() != null) {
          action = entry.get().pending();
          planned =
              PlannedAction.container(
                  name,
                  action,
                  "finishing the " + action.label() + " that an earlier pass did not complete");
        }
        boolean wantRunning = container.spec().state() == RunState.RUNNING;
        if (action == ActionClass.NONE && status.isChanging()) {
          // Someone's job is under way (an administrator's stop, say): replacing it would cancel
          // it.
          return new Decision(
              planned, Outcome.SKIPPED, "unit is " + status + "; looking again when it settles");
        }
        if (action == ActionClass.NONE && wantRunning && !status.isActive()) {
          planned =
              PlannedAction.container(
                  name,
                  ActionClass.START,
                  "unit is " + status + " (drift: stopped outside berth); starting it");
        } else if (action == ActionClass.NONE && !wantRunning && status.isActive()) {
          planned =
              PlannedAction.container(
                  name, ActionClass.STOP, "state: stopped, but the unit is " + status);
        }
        return Decision.act(planned);
      }
    }
  }

  /**
   * A {@code nixos} container without a built system is left as it is, running what it runs: it
   * waits while its build is under way, and is reported failed when the build failed.
   */
  private static Decision waitForSystem(PlannedAction planned, HostRendering rendering) {
    UnbuiltSystem unbuilt = rendering.unbuilt(planned.name()).orElse(UnbuiltSystem.NOT_BUILT);
    return new Decision(
        planned, unbuilt.failed() ? Outcome.FAILED : Outcome.SKIPPED, unbuilt.reason());
  }

  private record FileChanges(boolean units, boolean network) {}

  private FileChanges writeFiles(Step step, ContainerFiles desired, Pass pass) {
    String name = step.name;
    boolean units = false;
    boolean network = false;
    try {
      var existing = pass.inventory.get(name);
      InventoryEntry entry =
          new InventoryEntry(
              name,
              step.container.spec().removePolicy(),
              HostPaths.rootDir(step.container),
              activates(step.action)
                  ? step.action
                  : existing.map(InventoryEntry::pending).orElse(null));
      if (existing.isEmpty() || !existing.get().equals(entry)) {
        pass.inventory = pass.inventory.with(entry);
        pass.save();
      }
      if (step.action == ActionClass.CREATE) {
        pass.notes.put(name, images.install(step.container));
      }
      for (HostFile file : desired.files().values()) {
        if (!files.read(file.path()).map(file.content()::equals).orElse(false)) {
          files.write(file);
          units |= file.path().startsWith(HostPaths.UNIT_DIR);
          network |= file.path().startsWith(HostPaths.NETWORK_DIR);
        }
      }
      for (String stale : stalePaths(step.container, desired)) {
        if (writtenByBerth(stale)) {
          files.delete(stale);
          network |= stale.startsWith(HostPaths.NETWORK_DIR);
        }
      }
    } catch (IOException | RuntimeException e) {
      pass.fail(step.planned, "cannot write its files: " + e.getMessage());
    }
    return new FileChanges(units, network);
  }

  private boolean writeZones(HostRendering rendering) throws IOException {
    boolean changed = false;
    List<String> wanted = new ArrayList<>();
    for (HostFile file : rendering.zoneFiles()) {
      wanted.add(file.path());
      var current = files.read(file.path());
      if (current.isPresent() && Marker.read(current.get()).isEmpty()) {
        listener.note("/" + file.path() + " was not written by berth; left alone");
        continue;
      }
      if (!current.map(file.content()::equals).orElse(false)) {
        files.write(file);
        changed = true;
      }
    }
    for (String name : files.list(HostPaths.NETWORK_DIR)) {
      String path = HostPaths.NETWORK_DIR + "/" + name;
      if (name.startsWith("20-berth-vz-") && !wanted.contains(path) && writtenByBerth(path)) {
        files.delete(path);
        changed = true;
      }
    }
    return changed;
  }

  /** Activates the containers dependency wave by dependency wave, each wave in parallel. */
  private void activateInWaves(List<Step> steps, Map<String, Container> byName, Pass pass) {
    Map<String, Step> pending = new LinkedHashMap<>();
    steps.stream()
        .filter(s -> s.action != ActionClass.REMOVE && !pass.done(s.name))
        .forEach(s -> pending.put(s.name, s));
    long jobs = pending.values().stream().filter(step -> step.action != ActionClass.NONE).count();
    // Steps with nothing to activate run here; threads only for the jobs that wait on systemd.
    ExecutorService executor =
        jobs == 0 ? null : Executors.newFixedThreadPool((int) Math.min(parallelism, jobs));
    try {
      while (!pending.isEmpty()) {
        List<Step> wave = new ArrayList<>();
        for (Step step : pending.values()) {
          boolean ready =
              step.container.spec().dependsOn().stream()
                  .noneMatch(
                      dependency ->
                          pending.containsKey(dependency) && byName.containsKey(dependency));
          if (ready) {
            wave.add(step);
          }
        }
        if (wave.isEmpty()) {
          // A cycle cannot pass validation; stay safe anyway.
          pending.values().forEach(step -> pass.fail(step.planned, "dependency cycle"));
          return;
        }
        List<Future<?>> futures = new ArrayList<>();
        for (Step step : wave) {
          pending.remove(step.name);
          String failedDependency =
              step.container.spec().dependsOn().stream()
                  .filter(pass::failed)
                  .findFirst()
                  .orElse(null);
          if (failedDependency != null) {
            pass.block(step.planned, "dependency " + failedDependency + " did not converge");
            continue;
          }
          if (step.action == ActionClass.NONE) {
            activate(step, pass);
          } else {
            futures.add(executor.submit(() -> activate(step, pass)));
          }
        }
        for (Future<?> future : futures) {
          try {
            future.get();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
          } catch (ExecutionException e) {
            throw new IllegalStateException("activation crashed", e.getCause());
          }
        }
      }
    } finally {
      if (executor != null) {
        executor.shutdownNow();
      }
    }
  }

  private void activate(Step step, Pass pass) {
    String name = step.name;
    String unit = HostPaths.unit(name);
    UnitStatus status = pass.snapshot.unit(unit);
    boolean wantRunning = step.container.spec().state() == RunState.RUNNING;
    String done;
    try {
      done =
          switch (step.action) {
            case CREATE, START ->
                wantRunning ? start(unit, name, status) : "files written; state: stopped";
            case RESTART ->
                status.isActive() ? restart(unit, name) : startStopped(step, status, pass);
            case RELOAD -> status.isActive() ? reload(unit) : startStopped(step, status, pass);
            case LIVE -> {
              if (status.isActive()) {
                runtime.setup().setLimits(unit, step.container.spec().resources());
                yield "cgroup limits set on the running unit";
              }
              yield wantRunning ? start(unit, name, status) : "files written; unit stays stopped";
            }
            case STOP -> expect(runtime.jobs().stop(unit), "stopped");
            case WRITE -> "files written; strategy none leaves the container alone";
            case NONE -> step.planned.reason();
            default -> throw new IllegalStateException("cannot activate " + step.action);
          };
      if (wantRunning && startsOrActivates(step.action)) {
        done = awaitReady(step.container, done);
      }
      autoStart(step.container, unit);
      pass.inventory(name, entry -> entry.withPending(null));
      String note = pass.notes.getOrDefault(name, "");
      pass.converge(
          step.planned, note.isEmpty() ? done : done.isEmpty() ? note : note + "; " + done);
    } catch (StepFailed e) {
      pass.fail(step.planned, e.getMessage());
    } catch (RuntimeException e) {
      pass.fail(step.planned, e.getMessage() == null ? e.toString() : e.getMessage());
    } catch (IOException e) {
      pass.fail(step.planned, "I/O error: " + e.getMessage());
    }
  }

  /**
   * A restart or reload owed to a container whose unit is not running: the new files are in place
   * and take effect when it starts. An activation does not start a container that someone stopped;
   * healing that drift is self-heal's business.
   */
  private String startStopped(Step step, UnitStatus status, Pass pass) {
    if (step.container.spec().state() != RunState.RUNNING) {
      return "files written; unit stays stopped";
    }
    if (!pass.selfHeal) {
      return "files written; the unit is "
          + status
          + " (stopped outside berth) and stays so (selfHeal: false)";
    }
    pass.drifted.add(step.name);
    return start(HostPaths.unit(step.name), step.name, status)
        + " (it was "
        + status
        + ", stopped outside berth)";
  }

  private static boolean startsOrActivates(ActionClass action) {
    return switch (action) {
      case CREATE, START, RESTART, RELOAD -> true;
      default -> false;
    };
  }

  /**
   * Waits until the container's health command succeeds inside it, so that its dependents start
   * only once it is ready; without a health command, a running unit is ready.
   */
  private String awaitReady(Container container, String done) {
    var health = container.spec().health();
    if (health == null || health.command().isEmpty()) {
      return done;
    }
    long deadline = System.nanoTime() + java.time.Duration.ofSeconds(health.timeoutSec()).toNanos();
    CommandResult result;
    while (!(result = runtime.exec().run(container.name(), health.command())).succeeded()) {
      if (result instanceof CommandResult.CouldNotStart) {
        throw new StepFailed(result.describe());
      }
      if (System.nanoTime() > deadline) {
        throw new StepFailed(
            done
                + ", but not ready within "
                + health.timeoutSec()
                + " s (the health command "
                + result.describe()
                + ")");
      }
      try {
        Thread.sleep(250);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new StepFailed(done + "; interrupted while waiting for readiness");
      }
    }
    return done + "; ready";
  }

  private String start(String unit, String name, UnitStatus status) {
    if (status.isFailed()) {
      runtime.jobs().resetFailed(unit);
    }
    JobResult result = runtime.jobs().start(unit);
    if (result.ok()) {
      return "started";
    }
    return recoverRace(unit, name, result);
  }

  private String restart(String unit, String name) {
    JobResult result = runtime.jobs().restart(unit);
    if (result.ok()) {
      return "restarted";
    }
    return recoverRace(unit, name, result);
  }

  /**
   * The restart race nixos-container users know: the stop timed out, machined still had the
   * machine, and the new start failed with "Machine 'NAME' already exists". Seen in the unit's
   * journal: end the stale machine if it is still there, and start once more.
   */
  private String recoverRace(String unit, String name, JobResult failed) {
    String marker = "Machine '" + name + "' already exists";
    List<String> journal = runtime.journal().tail(unit, 30);
    if (journal.stream().noneMatch(line -> line.contains(marker))) {
      throw new StepFailed(failed.describe() + lastLine(journal));
    }
    boolean stale = runtime.machines().isRegistered(name);
    if (stale) {
      runtime.machines().terminate(name);
    }
    runtime.jobs().resetFailed(unit);
    JobResult again = runtime.jobs().start(unit);
    if (!again.ok()) {
      throw new StepFailed(
          "restart race ("
              + marker
              + "); starting again failed too: "
              + again.describe()
              + lastLine(runtime.journal().tail(unit, 5)));
    }
    return "started after the restart race ("
        + marker
        + ")"
        + (stale ? "; terminated the stale machine first" : "; the stale machine was gone by then");
  }

  private static String lastLine(List<String> journal) {
    return journal.isEmpty() ? "" : "; journal: " + journal.get(journal.size() - 1);
  }

  private String reload(String unit) {
    return expect(runtime.jobs().reload(unit), "reloaded (activated inside, PID 1 kept)");
  }

  private static String expect(JobResult result, String success) {
    if (!result.ok()) {
      throw new StepFailed(result.describe());
    }
    return success;
  }

  private void autoStart(Container container, String unit) throws IOException {
    boolean enabled = files.exists(wantsLink(container.name()));
    // A container meant to be stopped is not started at boot either.
    boolean wanted = container.spec().autoStart() && container.spec().state() == RunState.RUNNING;
    if (wanted && !enabled) {
      runtime.setup().enable(unit);
    } else if (!wanted && enabled) {
      runtime.setup().disable(unit);
    }
  }

  private void remove(Step step, Pass pass) {
    String name = step.name;
    String unit = HostPaths.unit(name);
    listener.starting(step.planned);
    InventoryEntry entry = pass.inventory.get(name).orElseThrow();
    try {
      if (pass.snapshot.unit(unit).isActive()) {
        expect(runtime.jobs().stop(unit), "stopped");
      }
      if (files.exists(wantsLink(name))) {
        runtime.setup().disable(unit);
      }
      for (String path :
          List.of(
              HostPaths.nspawn(name),
              HostPaths.dropIn(name),
              HostPaths.vethNetwork(name),
              HostPaths.host0Network(entry.stateDir()))) {
        if (writtenByBerth(path)) {
          files.delete(path);
          pass.removedNetwork |= path.startsWith(HostPaths.NETWORK_DIR);
        }
      }
      pass.removedUnits = true;
      String state = "state directory /" + entry.stateDir() + " kept";
      if (entry.removePolicy() == dev.berth.reconciler.model.RemovePolicy.DELETE) {
        files.deleteTree(entry.stateDir());
        state = "state directory /" + entry.stateDir() + " deleted (removePolicy: Delete)";
      }
      pass.inventory = pass.inventory.without(name);
      pass.save();
      pass.converge(step.planned, "stopped, disabled, files removed; " + state);
    } catch (IOException | RuntimeException e) {
      pass.fail(step.planned, e.getMessage());
    }
  }

  /**
   * Whether the file at {@code path} exists and carries berth's marker: only those berth removes.
   */
  private boolean writtenByBerth(String path) throws IOException {
    return files.read(path).flatMap(Marker::read).isPresent();
  }

  private static boolean activates(ActionClass action) {
    return switch (action) {
      case CREATE, START, RELOAD, RESTART, LIVE -> true;
      default -> false;
    };
  }

  private static String wantsLink(String name) {
    return HostPaths.UNIT_DIR + "/machines.target.wants/" + HostPaths.unit(name);
  }

  private static List<String> stalePaths(Container container, ContainerFiles desired) {
    List<String> stale = new ArrayList<>();
    for (String path :
        List.of(
            HostPaths.vethNetwork(container.name()),
            HostPaths.host0Network(HostPaths.rootDir(container)))) {
      if (desired.files().values().stream().noneMatch(file -> file.path().equals(path))) {
        stale.add(path);
      }
    }
    return stale;
  }

  /** A container's work in this pass. */
  private static final class Step {
    final PlannedAction planned;
    final ActionClass action;
    final Container container;
    final String name;

    Step(PlannedAction planned, ActionClass action, Container container) {
      this.planned = planned;
      this.action = action;
      this.container = container;
      this.name = planned.name();
    }
  }

  /** A failed step of an activation, with the message for the report. */
  private static final class StepFailed extends RuntimeException {
    StepFailed(String message) {
      super(message, null, false, false);
    }
  }

  /** The state of one pass: inventory as it evolves, results as they come. */
  private final class Pass {
    volatile Inventory inventory;
    final HostSnapshot snapshot;
    final Map<String, ContainerResult> results = new ConcurrentHashMap<>();
    final Map<String, String> notes = new ConcurrentHashMap<>();
    final java.util.Set<String> drifted = ConcurrentHashMap.newKeySet();
    final boolean selfHeal;
    boolean removedUnits;

    /** The inventory as last loaded or saved; a pass that changed nothing does not write it. */
    Inventory saved;

    boolean removedNetwork;

    Pass(Inventory inventory, HostSnapshot snapshot, boolean selfHeal) {
      this.inventory = inventory;
      this.saved = inventory;
      this.snapshot = snapshot;
      this.selfHeal = selfHeal;
    }

    synchronized void save() throws IOException {
      inventoryStore.save(inventory);
      saved = inventory;
    }

    synchronized void inventory(
        String name, java.util.function.UnaryOperator<InventoryEntry> change) {
      // Most passes change nothing; a copy of the whole inventory per container would be O(n²).
      inventory
          .get(name)
          .map(change)
          .filter(changed -> !inventory.get(name).orElseThrow().equals(changed))
          .ifPresent(changed -> inventory = inventory.with(changed));
    }

    boolean done(String name) {
      return results.containsKey(name);
    }

    boolean failed(String name) {
      ContainerResult result = results.get(name);
      return result != null
          && (result.outcome() == Outcome.FAILED || result.outcome() == Outcome.BLOCKED);
    }

    Step skip(PlannedAction planned, String message) {
      record(planned, Outcome.SKIPPED, message);
      return null;
    }

    Step fail(PlannedAction planned, String message) {
      record(planned, Outcome.FAILED, message);
      return null;
    }

    void block(PlannedAction planned, String message) {
      record(planned, Outcome.BLOCKED, message);
    }

    void converge(PlannedAction planned, String message) {
      record(planned, Outcome.CONVERGED, message);
    }

    private void record(PlannedAction planned, Outcome outcome, String message) {
      ContainerResult result =
          new ContainerResult(
              planned.name(),
              planned.action(),
              outcome,
              message == null ? "" : message,
              drifted.contains(planned.name()));
      results.put(planned.name(), result);
      listener.finished(result);
    }
  }
}
