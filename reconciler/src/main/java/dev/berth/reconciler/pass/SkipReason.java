package dev.berth.reconciler.pass;

/** Why the pass planner leaves a container alone in this pass: a status can say so exactly. */
public enum SkipReason {
  /** A file or machine at its name that berth did not create, or a name another owner holds. */
  NOT_BERTHS,
  /** The policy holds it: suspended, or backing off after a failure. */
  HELD,
  /** Its NixOS system is being built; it keeps running what it runs. */
  BUILDING,
  /** Its NixOS system was never asked to be built (a plan without a builder). */
  NOT_BUILT,
  /** Someone else's job (an administrator's stop, say) is changing its unit right now. */
  JOB_IN_PROGRESS,
  /** No longer placed here, but the policy does not prune. */
  NOT_PRUNED,
  /**
   * Its files as the manifests render them now were rolled back on this host: they are not tried
   * again until they change.
   */
  ROLLED_BACK,
  /** It drifted, and the policy does not heal drift. */
  DRIFT_NOT_HEALED,
  /**
   * Its action is one that maintenance windows hold, and none of them is open: nothing of it
   * changes until one opens.
   */
  OUTSIDE_WINDOW
}
