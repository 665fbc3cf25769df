package dev.berth.reconciler.apply;

import dev.berth.reconciler.plan.ActionClass;

/** One container's result in a pass: the action taken, how it ended, and what happened. */
public record ContainerResult(
    String name, ActionClass action, Outcome outcome, String message, boolean drifted) {
  public String line() {
    return action.label()
        + " "
        + name
        + ": "
        + outcome.name().toLowerCase(java.util.Locale.ROOT)
        + (message.isEmpty() ? "" : " (" + message + ")");
  }
}
