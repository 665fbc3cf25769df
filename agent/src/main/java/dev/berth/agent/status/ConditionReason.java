package dev.berth.agent.status;

/**
 * Why a container's condition is what it is: stable CamelCase reasons that the status shows and an
 * operator can grep for, in the manner of {@code SourceFailure.Reason}.
 */
public enum ConditionReason {
  /** Ready: the container runs as its manifest says. */
  RECONCILIATION_SUCCEEDED("ReconciliationSucceeded"),
  /** Not ready: the last action on it failed. */
  RECONCILIATION_FAILED("ReconciliationFailed"),
  /** Reconciling: it is retried with exponential backoff. */
  BACKING_OFF("BackingOff"),
  /** Not ready: a container it depends on failed or is not ready. */
  DEPENDENCY_NOT_READY("DependencyNotReady"),
  /** Not ready: it, or the whole agent, is suspended. */
  SUSPENDED("Suspended"),
  /** Not ready: it differs from Git and berth did not correct it. */
  DRIFT_DETECTED("DriftDetected"),
  /** Not ready and stalled: berth leaves it alone, as it does a machine it did not create. */
  NOT_MANAGED_BY_BERTH("NotManagedByBerth"),
  /** Not ready, reconciling: its NixOS system is being built, or has yet to be. */
  BUILDING_SYSTEM("BuildingSystem"),
  /**
   * Not ready: its last change left it unhealthy and berth went back to its last good generation,
   * which runs; the change is not tried again until its manifest changes.
   */
  ROLLED_BACK("RolledBack"),
  /** Not ready, reconciling: someone else's job is changing its unit; looked at when it ends. */
  JOB_IN_PROGRESS("JobInProgress"),
  /**
   * Not ready: its change is a disruptive action (a restart, say) that waits for the Rollout's next
   * maintenance window; it runs its current files meanwhile.
   */
  OUTSIDE_WINDOW("OutsideWindow");

  private final String camelCase;

  ConditionReason(String camelCase) {
    this.camelCase = camelCase;
  }

  public String camelCase() {
    return camelCase;
  }
}
