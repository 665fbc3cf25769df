package dev.berth.reconciler.plan;

/** One line of a plan: what happens to a container (or zone) and why. */
public record PlannedAction(Subject subject, String name, ActionClass action, String reason) {

  /** What the action is about. */
  public enum Subject {
    CONTAINER,
    ZONE
  }

  public static PlannedAction container(String name, ActionClass action, String reason) {
    return new PlannedAction(Subject.CONTAINER, name, action, reason);
  }

  public static PlannedAction zone(String name, ActionClass action, String reason) {
    return new PlannedAction(Subject.ZONE, name, action, reason);
  }

  /** The form users read: {@code ACTION NAME: reason}, zones as {@code zone/NAME}. */
  public String line() {
    String who = subject == Subject.ZONE ? "zone/" + name : name;
    return action.label() + " " + who + ": " + reason;
  }
}
