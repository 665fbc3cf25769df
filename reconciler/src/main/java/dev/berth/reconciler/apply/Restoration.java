package dev.berth.reconciler.apply;

import dev.berth.reconciler.host.HostRuntime;
import dev.berth.reconciler.host.JobResult;
import dev.berth.reconciler.host.RuntimeFailure;
import dev.berth.reconciler.host.UnitStatus;
import dev.berth.reconciler.model.Container;
import dev.berth.reconciler.model.Health;
import dev.berth.reconciler.pass.UnitStep;
import dev.berth.reconciler.render.HostFile;
import dev.berth.reconciler.render.HostPaths;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Takes a container back to an earlier generation (docs/rollback.md): its files byte for byte as
 * they were, its state directory from the snapshot taken before the failed activation, if any, and
 * then a reload into it (the failed activation was a reload and PID 1 still runs) or a start, and
 * the health check that generation's manifest had (none recorded: its unit must be active).
 */
final class Restoration {
  private final HostRuntime runtime;
  private final HostFiles files;
  private final ImageInstaller images;

  Restoration(HostRuntime runtime, HostFiles files, ImageInstaller images) {
    this.runtime = runtime;
    this.files = files;
    this.images = images;
  }

  /**
   * Restores {@code target} (the files by path) over {@code failed} (the paths the failed
   * generation wrote). Returns what it did; a restored generation that is not healthy either is a
   * {@link Activator.StepFailed}.
   */
  String restore(
      Container container,
      Map<String, String> target,
      Health health,
      Set<String> failed,
      Optional<String> snapshot,
      UnitStep.Op failedOp)
      throws IOException {
    String name = container.name();
    String unit = HostPaths.unit(name);
    UnitStatus status = runtime.observer().observe().unit(unit);
    boolean reload = failedOp == UnitStep.Op.RELOAD && status.isActive() && snapshot.isEmpty();
    if (!reload && status.isActive()) {
      Activator.expect(runtime.jobs().stop(unit), "stopped");
    }
    String root = "";
    if (failedOp == UnitStep.Op.REPLACE_ROOT) {
      root = swapBack(name);
    }
    if (snapshot.isPresent()) {
      runtime.snapshots().restore(name, snapshot.get());
    }
    boolean network = putBack(files, target, failed).network();
    runtime.setup().reloadUnitFiles();
    if (network) {
      try {
        runtime.network().reloadNetwork();
      } catch (RuntimeFailure e) {
        // As in a pass: the container's own network files still reach it at its start.
      }
    }
    String done;
    if (reload) {
      done = Activator.expect(runtime.jobs().reload(unit), "reloaded into it");
    } else {
      runtime.jobs().resetFailed(unit);
      JobResult started = runtime.jobs().start(unit);
      if (!started.ok()) {
        throw new Activator.StepFailed("starting it failed too: " + started.describe());
      }
      done = "started it";
    }
    Optional<String> unhealthy = new HealthGate(runtime).await(container, health);
    if (unhealthy.isPresent()) {
      throw new Activator.StepFailed(done + ", but it is not healthy either: " + unhealthy.get());
    }
    return done + root + (snapshot.isPresent() ? " with its state from " + snapshot.get() : "");
  }

  /**
   * The image upgrade's previous root becomes the root again. A failure before the swap left the
   * old root in place: then there is no previous root, and nothing to swap back.
   */
  private String swapBack(String name) {
    try {
      images.swapBack(name);
      return " on its previous root";
    } catch (IOException e) {
      return " (its root had not been replaced: " + e.getMessage() + ")";
    }
  }

  /**
   * Writes {@code target}'s files where they differ and deletes those of {@code failed} that it
   * does not have; what changed, as {@link FileSync} counts it: unit files (a daemon-reload) and
   * networkd's files.
   */
  static FileSync.Changes putBack(HostFiles files, Map<String, String> target, Set<String> failed)
      throws IOException {
    boolean units = false;
    boolean network = false;
    for (var file : target.entrySet()) {
      if (!files.read(file.getKey()).map(file.getValue()::equals).orElse(false)) {
        files.write(new HostFile(file.getKey(), file.getValue()));
        units |= file.getKey().startsWith(HostPaths.UNIT_DIR);
        network |= file.getKey().startsWith(HostPaths.NETWORK_DIR);
      }
    }
    for (String path : failed) {
      if (!target.containsKey(path) && files.exists(path)) {
        files.delete(path);
        units |= path.startsWith(HostPaths.UNIT_DIR);
        network |= path.startsWith(HostPaths.NETWORK_DIR);
      }
    }
    return new FileSync.Changes(units, network);
  }
}
