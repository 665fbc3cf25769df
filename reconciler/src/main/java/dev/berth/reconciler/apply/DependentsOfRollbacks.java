package dev.berth.reconciler.apply;

import dev.berth.reconciler.host.HostRuntime;
import dev.berth.reconciler.model.Container;
import dev.berth.reconciler.pass.ContainerDecision;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Dependents of a container that rolled back keep their generation too: a dependent blocked behind
 * it in the same pass gets back the files it had before the pass (they were written before the
 * activations began), so that a restart or a reboot does not start it on its new files.
 */
final class DependentsOfRollbacks {
  private final HostRuntime runtime;
  private final HostFiles files;
  private final GenerationKeeper kept;

  DependentsOfRollbacks(HostRuntime runtime, HostFiles files, GenerationKeeper kept) {
    this.runtime = runtime;
    this.files = files;
    this.kept = kept;
  }

  void revert(List<ContainerDecision> activations, Map<String, Container> byName, PassState pass) {
    boolean reloadUnits = false;
    for (ContainerDecision decision : activations) {
      ContainerResult result = pass.result(decision.name());
      Optional<Map<String, String>> before = kept.installedBefore(decision.name());
      if (result == null
          || result.outcome() != Outcome.BLOCKED
          || before.isEmpty()
          || !behindRollback(byName.get(decision.name()), byName, pass)) {
        continue;
      }
      try {
        FileSync.Changes changes = Restoration.putBack(files, before.get(), Set.of());
        reloadUnits |= changes.units();
        pass.change(decision.name(), entry -> entry.withPending(null));
        pass.record(
            decision,
            Outcome.BLOCKED,
            result.message() + "; it keeps its files and generation, as its dependency does");
      } catch (IOException e) {
        pass.record(
            decision,
            Outcome.BLOCKED,
            result.message() + "; its earlier files could not be put back: " + e.getMessage());
      }
    }
    if (reloadUnits) {
      runtime.setup().reloadUnitFiles();
    }
  }

  /** Whether a dependency of {@code container}, or one of theirs, rolled back in this pass. */
  private static boolean behindRollback(
      Container container, Map<String, Container> byName, PassState pass) {
    if (container == null) {
      return false;
    }
    for (String dependency : container.spec().dependsOn()) {
      ContainerResult result = pass.result(dependency);
      if (result != null
          && (result.outcome() == Outcome.ROLLED_BACK
              || (result.outcome() == Outcome.BLOCKED
                  && behindRollback(byName.get(dependency), byName, pass)))) {
        return true;
      }
    }
    return false;
  }
}
