package dev.berth.reconciler.apply;

import dev.berth.reconciler.pass.SkipReason;
import dev.berth.reconciler.plan.ActionClass;
import java.util.Optional;

/**
 * One container's result in a pass: the action taken, how it ended, what happened, and for a skip
 * why the pass planner left it alone.
 */
public record ContainerResult(
    String name,
    ActionClass action,
    Outcome outcome,
    String message,
    boolean drifted,
    Optional<SkipReason> skip) {
  public ContainerResult {
    skip = skip == null ? Optional.empty() : skip;
  }

  /** A result that is not a skip, or one whose reason nobody knows. */
  public ContainerResult(
      String name, ActionClass action, Outcome outcome, String message, boolean drifted) {
    this(name, action, outcome, message, drifted, Optional.empty());
  }

  public String line() {
    return action.label()
        + " "
        + name
        + ": "
        + outcome.name().toLowerCase(java.util.Locale.ROOT)
        + (message.isEmpty() ? "" : " (" + message + ")");
  }
}
