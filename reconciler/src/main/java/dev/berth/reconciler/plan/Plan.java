package dev.berth.reconciler.plan;

import java.util.List;

/** What one pass would do on a host. */
public record Plan(String host, List<PlannedAction> actions) {
  public Plan {
    actions = List.copyOf(actions);
  }

  /**
   * Whether the pass would change anything at all (a conflict changes nothing, but needs a look).
   */
  public boolean hasChanges() {
    return actions.stream().anyMatch(action -> action.action() != ActionClass.NONE);
  }
}
