package dev.berth.reconciler.pass;

import dev.berth.reconciler.plan.ActionClass;
import dev.berth.reconciler.plan.PlannedAction;
import java.util.Locale;
import java.util.Optional;

/**
 * One container's part of a pass, decided once by the {@link PassPlanner}: its action and why,
 * whether the executor acts on it or it ends here (skipped, failed, blocked), and, when it acts,
 * what happens to its unit; a skip says why in {@code skip}.
 */
public record ContainerDecision(
    String name,
    ActionClass action,
    Verdict verdict,
    String reason,
    boolean drifted,
    UnitStep step,
    Optional<SkipReason> skip) {

  /** Whether the executor acts on the container, or how its part ends before any work. */
  public enum Verdict {
    ACT,
    /** Left alone on purpose: suspended, backing off, a build under way, not berth's. */
    SKIP,
    /** Failed before any work (its NixOS system's build failed). */
    FAIL,
    /** Not attempted: a container it depends on failed. */
    BLOCK,
    /**
     * Its NixOS system was never asked to be built (a plan or render without a builder): the class
     * it has once built, shown as such; the executor leaves it alone.
     */
    BUILD_FIRST;

    public String label() {
      return switch (this) {
        case ACT -> "act";
        case SKIP -> "skipped";
        case FAIL -> "failed";
        case BLOCK -> "blocked";
        case BUILD_FIRST -> "not built";
      };
    }
  }

  public static ContainerDecision act(
      String name, ActionClass action, String reason, boolean drifted, UnitStep step) {
    return new ContainerDecision(
        name, action, Verdict.ACT, reason, drifted, step, Optional.empty());
  }

  /**
   * Removal: disable, stop, delete berth's files, forget. The unit is stopped even when it looks
   * inactive: a start job that a killed pass left in systemd's queue shows as inactive, and would
   * start the container from the template's defaults once its files are gone.
   */
  public static ContainerDecision remove(String name, String reason) {
    return new ContainerDecision(
        name, ActionClass.REMOVE, Verdict.ACT, reason, false, UnitStep.stop(), Optional.empty());
  }

  public static ContainerDecision skip(
      String name, ActionClass action, SkipReason why, String reason, boolean drifted) {
    return new ContainerDecision(
        name, action, Verdict.SKIP, reason, drifted, UnitStep.keep(""), Optional.of(why));
  }

  public static ContainerDecision fail(String name, ActionClass action, String reason) {
    return new ContainerDecision(
        name, action, Verdict.FAIL, reason, false, UnitStep.keep(""), Optional.empty());
  }

  public static ContainerDecision buildFirst(String name, ActionClass action, String reason) {
    return new ContainerDecision(
        name,
        action,
        Verdict.BUILD_FIRST,
        reason,
        false,
        UnitStep.keep(""),
        Optional.of(SkipReason.NOT_BUILT));
  }

  public ContainerDecision blocked(String why) {
    return new ContainerDecision(
        name, action, Verdict.BLOCK, why, drifted, UnitStep.keep(""), Optional.empty());
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
    return action.label()
        + " "
        + name
        + ": "
        + outcome().map(ended -> ended + " (" + reason + ")").orElse(reason);
  }

  /** How the container's part ends before any work, as its line says: skipped, failed, blocked. */
  public Optional<String> outcome() {
    return switch (verdict) {
      case ACT, BUILD_FIRST -> Optional.empty();
      case SKIP -> action == ActionClass.CONFLICT ? Optional.empty() : Optional.of("skipped");
      case FAIL, BLOCK -> Optional.of(verdict.label());
    };
  }

  @Override
  public String toString() {
    return line() + (drifted ? " [drift]" : "") + " " + verdict.name().toLowerCase(Locale.ROOT);
  }
}
