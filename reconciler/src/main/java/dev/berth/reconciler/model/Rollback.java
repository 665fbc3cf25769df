package dev.berth.reconciler.model;

/**
 * What happens when an activation leaves the container unhealthy: whether berth goes back to the
 * last good generation by itself (by default, when the container has a health probe), how long the
 * container has to become healthy ({@code timeoutSec}, else the health's own), whether its state
 * directory is snapshotted before a disruptive activation, and how many generations are kept.
 */
public record Rollback(Boolean enabled, Integer timeoutSec, Boolean snapshot, Integer keep) {
  public static final int DEFAULT_KEEP = 2;
  public static final Rollback DEFAULT = new Rollback(null, null, null, null);

  public Rollback {
    snapshot = snapshot != null && snapshot;
    keep = keep == null ? DEFAULT_KEEP : keep;
  }

  /** Whether a failed activation is rolled back, given the container's health. */
  public boolean enabledFor(Health health) {
    return enabled != null ? enabled : health != null && health.probes();
  }
}
