package dev.berth.reconciler.apply;

import dev.berth.reconciler.generation.Generation;
import dev.berth.reconciler.generation.GenerationOutcome;
import dev.berth.reconciler.host.HostRuntime;
import dev.berth.reconciler.host.StateSnapshots.SnapshotRefused;
import dev.berth.reconciler.host.UnitStatus;
import dev.berth.reconciler.inventory.InventoryEntry.RolledBack;
import dev.berth.reconciler.model.Container;
import dev.berth.reconciler.pass.ContainerDecision;
import dev.berth.reconciler.pass.UnitStep;
import dev.berth.reconciler.plan.ActionClass;
import dev.berth.reconciler.render.ContainerFiles;
import dev.berth.reconciler.render.HostPaths;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;

/**
 * One container's activation in a pass, and its way back (docs/rollback.md): a snapshot of its
 * state first where its manifest asks for one, then the unit step and the health check; a good end
 * is recorded as a good generation, a bad one, where the container rolls back, restores the last
 * good generation and remembers the failed files so that they are not tried again.
 */
final class ContainerActivation {
  private final HostRuntime runtime;
  private final HostFiles files;
  private final ImageInstaller images;
  private final Activator activator;
  private final GenerationKeeper kept;
  private final PassState pass;

  ContainerActivation(
      HostRuntime runtime,
      HostFiles files,
      ImageInstaller images,
      Activator activator,
      GenerationKeeper kept,
      PassState pass) {
    this.runtime = runtime;
    this.files = files;
    this.images = images;
    this.activator = activator;
    this.kept = kept;
    this.pass = pass;
  }

  void run(ContainerDecision decision, Container container, ContainerFiles desired) {
    String name = decision.name();
    boolean generation = GenerationKeeper.activates(decision.action()) && desired != null;
    String snapshot = null;
    try {
      if (generation && snapshots(decision, container)) {
        snapshot = snapshot(container);
      }
      String done = activator.activate(decision.step(), container);
      pass.change(name, entry -> entry.withPending(null).withRolledBack(null));
      if (decision.step().op() == UnitStep.Op.REPLACE_ROOT) {
        done = releasePrevious(name, done);
      }
      if (generation) {
        kept.record(decision, container, desired, GenerationOutcome.GOOD, done, null);
        release(snapshot);
      }
      String note = pass.note(name);
      pass.converge(decision, join(note, done));
    } catch (Activator.StepFailed | SnapshotRefused e) {
      failed(decision, container, desired, generation, snapshot, e.getMessage());
    } catch (RuntimeException e) {
      failed(
          decision,
          container,
          desired,
          generation,
          snapshot,
          e.getMessage() == null ? e.toString() : e.getMessage());
    } catch (IOException e) {
      failed(decision, container, desired, generation, snapshot, "I/O error: " + e.getMessage());
    }
  }

  /** The root an image upgrade replaced goes once the new one came up. */
  private String releasePrevious(String name, String done) {
    try {
      String released = images.releasePrevious(name);
      return released.isEmpty() ? done : done + "; " + released;
    } catch (IOException e) {
      return done + "; the previous root stays (cannot delete it: " + e.getMessage() + ")";
    }
  }

  /** Whether the step replaces the running container, and its manifest wants its state kept. */
  private static boolean snapshots(ContainerDecision decision, Container container) {
    UnitStep.Op op = decision.step().op();
    return container.spec().rollsBack()
        && container.spec().rollback().snapshot()
        && (op == UnitStep.Op.RESTART || op == UnitStep.Op.START || op == UnitStep.Op.REPLACE_ROOT);
  }

  /**
   * Stops the container (a copy of a running tree is not consistent, and berth snapshots only a
   * stopped machine) and snapshots its state directory as {@code NAME.berth-before-gN}, N the
   * generation about to be activated; the step then starts it.
   */
  private String snapshot(Container container) throws IOException {
    String name = container.name();
    String snapshot = name + ".berth-before-g" + kept.next(name);
    String unit = HostPaths.unit(name);
    UnitStatus status = runtime.observer().observe().unit(unit);
    if (status.isActive()) {
      Activator.expect(runtime.jobs().stop(unit), "stopped");
    }
    runtime.snapshots().release(snapshot); // a killed pass's leftover
    runtime.snapshots().take(name, snapshot);
    pass.note(
        name,
        join(pass.note(name), "snapshotted /" + HostPaths.stateDir(name) + " as " + snapshot));
    return snapshot;
  }

  private void failed(
      ContainerDecision decision,
      Container container,
      ContainerFiles desired,
      boolean generation,
      String snapshot,
      String why) {
    String name = decision.name();
    if (!generation || !container.spec().rollsBack()) {
      recordQuietly(decision, container, desired, GenerationOutcome.FAILED, why, snapshot);
      release(snapshot);
      pass.fail(decision, why);
      return;
    }
    Optional<Generation> target;
    try {
      target = kept.target(name);
    } catch (IOException e) {
      pass.fail(decision, why + "; cannot read its generations: " + e.getMessage());
      return;
    }
    Optional<Map<String, String>> files =
        target
            .map(Generation::files)
            .or(() -> kept.installedBefore(name))
            .filter(m -> !m.isEmpty());
    if (files.isEmpty()) {
      recordQuietly(decision, container, desired, GenerationOutcome.FAILED, why, snapshot);
      release(snapshot);
      boolean fresh = decision.action() == ActionClass.CREATE;
      pass.fail(
          decision,
          fresh ? why : why + "; nothing to roll back to: no earlier generation on this host");
      return;
    }
    String to = target.map(g -> "generation " + g.number()).orElse("the files installed before");
    long since = System.nanoTime();
    try {
      String done =
          new Restoration(runtime, this.files, images)
              .restore(
                  container,
                  files.get(),
                  target.isPresent() ? target.get().health() : container.spec().health(),
                  desired.byPath().keySet(),
                  Optional.ofNullable(snapshot),
                  decision.step().op());
      Generation failedOne =
          kept.record(decision, container, desired, GenerationOutcome.ROLLED_BACK, why, snapshot);
      release(snapshot);
      RolledBack rolledBack =
          new RolledBack(
              desired.digest(),
              kept.revision(),
              failedOne.number(),
              target.map(Generation::number).orElse(0),
              kept.clock().instant().toString(),
              why);
      pass.change(name, entry -> entry.withPending(null).withRolledBack(rolledBack));
      String note = pass.note(name);
      pass.record(
          decision,
          Outcome.ROLLED_BACK,
          join(
              note,
              why
                  + "; rolled back to "
                  + to
                  + " in "
                  + seconds(System.nanoTime() - since)
                  + ": "
                  + done
                  + "; not retried until its files change"));
    } catch (RuntimeException | IOException e) {
      recordQuietly(decision, container, desired, GenerationOutcome.FAILED, why, snapshot);
      pass.fail(decision, why + "; the rollback to " + to + " failed: " + e.getMessage());
    }
  }

  private void recordQuietly(
      ContainerDecision decision,
      Container container,
      ContainerFiles desired,
      GenerationOutcome outcome,
      String why,
      String snapshot) {
    if (desired == null || !GenerationKeeper.activates(decision.action())) {
      return;
    }
    try {
      kept.record(decision, container, desired, outcome, why, snapshot);
    } catch (IOException | RuntimeException e) {
      pass.note(decision.name(), join(pass.note(decision.name()), "generation not recorded"));
    }
  }

  private void release(String snapshot) {
    if (snapshot != null) {
      try {
        runtime.snapshots().release(snapshot);
      } catch (RuntimeException e) {
        // Left for the next activation, which releases it under the same name before taking it.
      }
    }
  }

  /** Nanoseconds as seconds with one decimal ("1.4 s"): the time the way back took. */
  private static String seconds(long nanos) {
    return String.format(java.util.Locale.ROOT, "%.1f s", nanos / 1e9);
  }

  /** Two parts of a result, "; " between them where both are there. */
  private static String join(String note, String more) {
    return note.isEmpty() ? more : more.isEmpty() ? note : note + "; " + more;
  }
}
