package dev.berth.reconciler.plan;

import java.util.List;
import java.util.Set;

/**
 * What one pass would do on a host, and which containers' installed files are byte for byte their
 * rendering ({@code current}: nothing to write for them).
 */
public record Plan(String host, List<PlannedAction> actions, Set<String> current) {
  public Plan {
    actions = List.copyOf(actions);
    current = Set.copyOf(current);
  }

  public Plan(String host, List<PlannedAction> actions) {
    this(host, actions, Set.of());
  }

  /**
   * Whether the pass would change anything at all (a conflict changes nothing, but needs a look).
   */
  public boolean hasChanges() {
    return actions.stream().anyMatch(action -> action.action() != ActionClass.NONE);
  }
}
