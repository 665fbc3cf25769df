package dev.berth.reconciler.apply;

import dev.berth.reconciler.host.HostRuntime;
import dev.berth.reconciler.host.JobResult;
import dev.berth.reconciler.model.Container;
import dev.berth.reconciler.model.RunState;
import dev.berth.reconciler.pass.UnitStep;
import dev.berth.reconciler.render.HostPaths;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * Carries out a container's unit step once its files are in place: start, stop, restart, reload,
 * set limits or replace the root with a staged one, waits for its health check where the step says
 * so, and enables or disables it in {@code machines.target}. Recovers the restart race that
 * nixos-container users know.
 */
final class Activator {
  private final HostRuntime runtime;
  private final HostFiles files;
  private final ImageInstaller images;

  Activator(HostRuntime runtime, HostFiles files, ImageInstaller images) {
    this.runtime = runtime;
    this.files = files;
    this.images = images;
  }

  /** What the step did, for the report; a failure is a {@link StepFailed}. */
  String activate(UnitStep step, Container container) throws IOException {
    String name = container.name();
    String unit = HostPaths.unit(name);
    String done =
        switch (step.op()) {
          case KEEP -> "";
          case START -> start(unit, name, step.resetFailedFirst());
          case STOP -> expect(runtime.jobs().stop(unit), "stopped");
          case RESTART -> restart(unit, name);
          case RELOAD ->
              expect(runtime.jobs().reload(unit), "reloaded (activated inside, PID 1 kept)");
          case SET_LIMITS -> {
            runtime.setup().setLimits(unit, container.spec().resources());
            yield "cgroup limits set on the running unit";
          }
          case REPLACE_ROOT -> replaceRoot(unit, name, step);
        };
    done += step.note();
    if (step.awaitHealth() && container.spec().state() == RunState.RUNNING) {
      done = awaitReady(container, done);
    }
    autoStart(container, unit);
    return done;
  }

  /**
   * Waits until the container is healthy ({@link HealthGate}), so that its dependents start only
   * once it is, and a rollback knows; without probes, a running unit is ready.
   */
  private String awaitReady(Container container, String done) {
    var health = container.spec().health();
    if (health == null || !health.waits()) {
      return done;
    }
    Optional<String> unhealthy = new HealthGate(runtime).await(container);
    if (unhealthy.isPresent()) {
      throw new StepFailed(done + ", but " + unhealthy.get());
    }
    return done + "; ready";
  }

  private String start(String unit, String name, boolean resetFirst) {
    if (resetFirst) {
      runtime.jobs().resetFailed(unit);
    }
    JobResult result = runtime.jobs().start(unit);
    return result.ok() ? "started" : recoverRace(unit, name, result);
  }

  /**
   * An image upgrade: the unit stops (a stale machine that outlived its stop is ended, so that no
   * container runs on the root while it moves), the staged root is swapped in, and the unit starts
   * on it unless the step keeps it stopped.
   */
  private String replaceRoot(String unit, String name, UnitStep step) throws IOException {
    expect(runtime.jobs().stop(unit), "stopped");
    if (runtime.machines().isRegistered(name)) {
      runtime.machines().terminate(name);
    }
    String swapped = images.swapIn(name);
    if (!step.awaitHealth()) {
      return swapped;
    }
    return swapped + "; " + start(unit, name, step.resetFailedFirst());
  }

  private String restart(String unit, String name) {
    JobResult result = runtime.jobs().restart(unit);
    return result.ok() ? "restarted" : recoverRace(unit, name, result);
  }

  /**
   * The restart race: the stop timed out, machined still had the machine, and the new start failed
   * with "Machine 'NAME' already exists". Seen in the journal of the run that failed (not of an
   * earlier one, which may have raced before): end the stale machine if it is still there, and
   * start once more.
   */
  private String recoverRace(String unit, String name, JobResult failed) {
    String marker = "Machine '" + name + "' already exists";
    List<String> journal = runtime.journal().tail(unit, failed.invocation(), 30);
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
              + lastLine(runtime.journal().tail(unit, again.invocation(), 5)));
    }
    return "started after the restart race ("
        + marker
        + ")"
        + (stale ? "; terminated the stale machine first" : "; the stale machine was gone by then");
  }

  private static String lastLine(List<String> journal) {
    return journal.isEmpty() ? "" : "; journal: " + journal.get(journal.size() - 1);
  }

  /** A container meant to be stopped is not started at boot either. */
  private void autoStart(Container container, String unit) throws IOException {
    boolean enabled = files.exists(wantsLink(container.name()));
    boolean wanted = container.spec().autoStart() && container.spec().state() == RunState.RUNNING;
    if (wanted && !enabled) {
      runtime.setup().enable(unit);
    } else if (!wanted && enabled) {
      runtime.setup().disable(unit);
    }
  }

  static String expect(JobResult result, String success) {
    if (!result.ok()) {
      throw new StepFailed(result.describe());
    }
    return success;
  }

  static String wantsLink(String name) {
    return HostPaths.UNIT_DIR + "/machines.target.wants/" + HostPaths.unit(name);
  }

  /** A failed step of an activation, with the message for the report. */
  static final class StepFailed extends RuntimeException {
    StepFailed(String message) {
      super(message, null, false, false);
    }
  }
}
