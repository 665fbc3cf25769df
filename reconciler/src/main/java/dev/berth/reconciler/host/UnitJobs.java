package dev.berth.reconciler.host;

/**
 * Runs systemd jobs on a container's unit; each waits for the job's end (with a timeout) and
 * returns how it ended. A failure to talk to systemd is a {@link RuntimeFailure}.
 */
public interface UnitJobs {

  JobResult start(String unit);

  JobResult stop(String unit);

  JobResult restart(String unit);

  /** Runs the unit's {@code ExecReload}; only for an active unit. */
  JobResult reload(String unit);

  /** Clears the unit's failed state, so that it can start again. */
  void resetFailed(String unit);
}
