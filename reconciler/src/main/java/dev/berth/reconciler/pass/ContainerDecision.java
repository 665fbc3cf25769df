package dev.berth.reconciler.pass;

import dev.berth.reconciler.plan.ActionClass;
import dev.berth.reconciler.plan.PlannedAction;
import java.util.Locale;

/**
 * One container's part of a pass, decided once by the {@link PassPlanner}: its action and why,
 * whether the executor acts on it or it ends here (skipped, failed, blocked), and, when it acts,
 * what happens to its unit.
 */
public record ContainerDecision(
    String name,
    ActionClass action,
    Verdict verdict,
    String reason,
    boolean drifted,
    UnitStep step) {

  /** Whether the executor acts on the container, or how its part ends before any work. */
  public enum Verdict {
    ACT,
    /** Left alone on purpose: suspended, backing off, a build under way, not berth's. */
    SKIP,
    /** Failed before any work (its NixOS system's build failed). */
    FAIL,
    /** Not attempted: a container it depends on failed. */
    BLOCK;

    public String label() {
      return switch (this) {
        case ACT -> "act";
        case SKIP -> "skipped";
        case FAIL -> "failed";
        case BLOCK -> "blocked";
      };
    }
  }

  public static ContainerDecision act(
      String name, ActionClass action, String reason, boolean drifted, UnitStep step) {
    return new ContainerDecision(name, action, Verdict.ACT, reason, drifted, step);
  }

  /** Removal: stop (when {@code running}), disable, delete berth's files. */
  public static ContainerDecision remove(String name, String reason, boolean running) {
    return new ContainerDecision(
        name,
        ActionClass.REMOVE,
        Verdict.ACT,
        reason,
        false,
        running ? UnitStep.stop() : UnitStep.keep(""));
  }

  public static ContainerDecision skip(
      String name, ActionClass action, String reason, boolean drifted) {
    return new ContainerDecision(name, action, Verdict.SKIP, reason, drifted, UnitStep.keep(""));
  }

  public static ContainerDecision fail(String name, ActionClass action, String reason) {
    return new ContainerDecision(name, action, Verdict.FAIL, reason, false, UnitStep.keep(""));
  }

  public ContainerDecision blocked(String why) {
    return new ContainerDecision(name, action, Verdict.BLOCK, why, drifted, UnitStep.keep(""));
  }

  /** The decision as a plan line's parts, for listeners that show what starts. */
  public PlannedAction planned() {
    return PlannedAction.container(name, action, reason);
  }

  public boolean acts() {
    return verdict == Verdict.ACT;
  }

  /**
   * The line users read: {@code ACTION NAME: reason} for what will be done, and for what ends
   * before any work the line its result will have ({@code ACTION NAME: skipped (reason)}); a
   * conflict says so by its class.
   */
  public String line() {
    if (acts() || action == ActionClass.CONFLICT) {
      return action.label() + " " + name + ": " + reason;
    }
    return action.label() + " " + name + ": " + verdict.label() + " (" + reason + ")";
  }

  @Override
  public String toString() {
    return line() + (drifted ? " [drift]" : "") + " " + verdict.name().toLowerCase(Locale.ROOT);
  }
}
