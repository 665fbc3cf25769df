package dev.berth.reconciler.apply;

/** How a container's part of a pass ended. */
public enum Outcome {
  /** As the manifest says now. */
  CONVERGED,
  FAILED,
  /** Not attempted because a container it depends on failed. */
  BLOCKED,
  /** Left alone on purpose (a machine berth did not create). */
  SKIPPED
}
