package dev.berth.reconciler.apply;

/** How a container's part of a pass ended. */
public enum Outcome {
  /** As the manifest says now. */
  CONVERGED,
  FAILED,
  /** Its activation failed and berth went back to the last good generation, which runs. */
  ROLLED_BACK,
  /** Not attempted because a container it depends on failed. */
  BLOCKED,
  /** Left alone on purpose (a machine berth did not create). */
  SKIPPED
}
