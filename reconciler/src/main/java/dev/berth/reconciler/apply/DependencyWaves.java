package dev.berth.reconciler.apply;

import dev.berth.reconciler.model.Container;
import dev.berth.reconciler.pass.ContainerDecision;
import dev.berth.reconciler.pass.UnitStep;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BiConsumer;

/**
 * Runs the containers' activations dependency wave by dependency wave, each wave in parallel: a
 * container starts only once those it depends on have converged, and is blocked when one of them
 * failed or was blocked.
 */
final class DependencyWaves {
  private final int parallelism;

  DependencyWaves(int parallelism) {
    this.parallelism = Math.max(1, parallelism);
  }

  void run(
      List<ContainerDecision> decisions,
      Map<String, Container> byName,
      PassState pass,
      BiConsumer<ContainerDecision, Container> activate) {
    Map<String, ContainerDecision> pending = new LinkedHashMap<>();
    decisions.forEach(d -> pending.put(d.name(), d));
    long jobs = decisions.stream().filter(d -> d.step().op() != UnitStep.Op.KEEP).count();
    // Steps with nothing to activate run here; threads only for the jobs that wait on systemd.
    ExecutorService executor =
        jobs == 0 ? null : Executors.newFixedThreadPool((int) Math.min(parallelism, jobs));
    try {
      while (!pending.isEmpty()) {
        List<ContainerDecision> wave = new ArrayList<>();
        for (ContainerDecision decision : pending.values()) {
          boolean ready =
              byName.get(decision.name()).spec().dependsOn().stream()
                  .noneMatch(dependency -> pending.containsKey(dependency));
          if (ready) {
            wave.add(decision);
          }
        }
        if (wave.isEmpty()) {
          // A cycle cannot pass validation; stay safe anyway.
          pending.values().forEach(d -> pass.fail(d, "dependency cycle"));
          return;
        }
        List<Future<?>> futures = new ArrayList<>();
        for (ContainerDecision decision : wave) {
          pending.remove(decision.name());
          Container container = byName.get(decision.name());
          String failedDependency =
              container.spec().dependsOn().stream().filter(pass::failed).findFirst().orElse(null);
          if (failedDependency != null) {
            pass.record(
                decision, Outcome.BLOCKED, "dependency " + failedDependency + " did not converge");
          } else if (decision.step().op() == UnitStep.Op.KEEP) {
            activate.accept(decision, container);
          } else {
            futures.add(executor.submit(() -> activate.accept(decision, container)));
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
}
