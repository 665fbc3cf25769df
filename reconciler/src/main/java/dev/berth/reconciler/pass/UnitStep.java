package dev.berth.reconciler.pass;

/**
 * What the executor does to a container's unit once its files are in place, as the pass planner
 * decided it. {@code note} follows the step's own result in the report; for {@link Op#KEEP} it is
 * the whole result. For {@link Op#REPLACE_ROOT}, {@code awaitHealth} also says whether the unit is
 * started again on the new root.
 */
public record UnitStep(Op op, boolean resetFailedFirst, boolean awaitHealth, String note) {

  /** The unit operations of a pass. */
  public enum Op {
    /** Leave the unit as it is: nothing to activate, or not now. */
    KEEP,
    START,
    STOP,
    RESTART,
    /** {@code ExecReload}: activation inside the container, PID 1 kept. */
    RELOAD,
    /** cgroup limits set on the running unit. */
    SET_LIMITS,
    /**
     * An image upgrade: stop the unit, swap the staged root in, and (unless it stays stopped) start
     * it and wait for its health check, as a restart does.
     */
    REPLACE_ROOT
  }

  public UnitStep {
    note = note == null ? "" : note;
  }

  public static UnitStep keep(String result) {
    return new UnitStep(Op.KEEP, false, false, result);
  }

  /** Starts the unit (resetting a failed one first) and waits for its health check. */
  public static UnitStep start(boolean resetFailedFirst, String note) {
    return new UnitStep(Op.START, resetFailedFirst, true, note);
  }

  public static UnitStep stop() {
    return new UnitStep(Op.STOP, false, false, "");
  }

  public static UnitStep restart() {
    return new UnitStep(Op.RESTART, false, true, "");
  }

  public static UnitStep reload() {
    return new UnitStep(Op.RELOAD, false, true, "");
  }

  /** Stops the unit, swaps the staged root in, starts it on the new root and awaits its health. */
  public static UnitStep replaceRoot(boolean resetFailedFirst, String note) {
    return new UnitStep(Op.REPLACE_ROOT, resetFailedFirst, true, note);
  }

  /** Stops the unit (replacing any job a killed pass left) and swaps the root; no start. */
  public static UnitStep replaceRootStopped(String note) {
    return new UnitStep(Op.REPLACE_ROOT, false, false, note);
  }

  public static UnitStep setLimits() {
    return new UnitStep(Op.SET_LIMITS, false, false, "");
  }
}
