package dev.berth.reconciler.pass;

import dev.berth.reconciler.model.Container;
import dev.berth.reconciler.pass.ContainerDecision.Verdict;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The rule of dependencies in a pass: nothing starts behind a dependency that failed. */
final class Dependents {
  private Dependents() {}

  /**
   * Containers behind a dependency that failed or is blocked before any work are blocked too; those
   * behind a failure during the pass are blocked by the executor, which sees it happen.
   */
  static void blockBehindFailures(
      Map<String, ContainerDecision> decisions, Map<String, Container> byName) {
    boolean changed = true;
    while (changed) {
      changed = false;
      for (ContainerDecision decision : List.copyOf(decisions.values())) {
        Container container = byName.get(decision.name());
        if (!decision.acts() || container == null) {
          continue;
        }
        Optional<String> failed =
            container.spec().dependsOn().stream()
                .filter(
                    dependency -> {
                      ContainerDecision of = decisions.get(dependency);
                      return of != null
                          && (of.verdict() == Verdict.FAIL
                              || of.verdict() == Verdict.BLOCK
                              || of.skip().orElse(null) == SkipReason.ROLLED_BACK);
                    })
                .findFirst();
        if (failed.isPresent()) {
          decisions.put(
              decision.name(),
              decision.blocked("dependency " + failed.get() + " did not converge"));
          changed = true;
        }
      }
    }
  }
}
