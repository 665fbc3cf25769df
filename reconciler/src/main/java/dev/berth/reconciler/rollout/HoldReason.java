package dev.berth.reconciler.rollout;

/** Why a rollout holds a revision on a host: stable CamelCase reasons for status and metrics. */
public enum HoldReason {
  /** The wave before this host's has not converged on the revision yet. */
  WAITING_FOR_WAVE("WaitingForWave"),
  /** The wave before converged; its soak time has not passed. */
  SOAKING("Soaking"),
  /** A host of an earlier wave failed or rolled back on the revision. */
  GATE_FAILED("GateFailed"),
  /** The fleet's state could not be read: a rollout fails safe and holds. */
  GATE_UNAVAILABLE("GateUnavailable"),
  /** This host's share of the apply jitter has not passed since it saw the revision. */
  JITTER("Jitter"),
  /** The Rollout manifest says {@code halt: true}. */
  HALTED("Halted"),
  /** The change is held until a maintenance window opens. */
  OUTSIDE_WINDOW("OutsideWindow");

  private final String camelCase;

  HoldReason(String camelCase) {
    this.camelCase = camelCase;
  }

  public String camelCase() {
    return camelCase;
  }
}
