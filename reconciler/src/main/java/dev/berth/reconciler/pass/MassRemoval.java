package dev.berth.reconciler.pass;

import dev.berth.reconciler.inventory.Inventory;
import dev.berth.reconciler.plan.ActionClass;
import java.util.List;
import java.util.Optional;

/** The guard against a pass that removes too much: a wrong path or a bad merge, not an intent. */
final class MassRemoval {
  private MassRemoval() {}

  /** Refuses a pass that would remove every managed container, or more than the policy allows. */
  static Optional<String> refusal(
      List<ContainerDecision> decisions, Inventory inventory, PassPolicy policy) {
    long removals =
        decisions.stream().filter(d -> d.acts() && d.action() == ActionClass.REMOVE).count();
    if (removals == 0) {
      return Optional.empty();
    }
    if (!policy.allowEmpty() && removals >= inventory.containers().size()) {
      return Optional.of(
          "the pass would remove every managed container ("
              + removals
              + "); refused (set sync.allowEmpty: true if that is what you want)");
    }
    if (removals > policy.maxRemovals()) {
      return Optional.of(
          "the pass would remove "
              + removals
              + " containers, more than sync.maxRemovals ("
              + policy.maxRemovals()
              + "); refused");
    }
    return Optional.empty();
  }
}
