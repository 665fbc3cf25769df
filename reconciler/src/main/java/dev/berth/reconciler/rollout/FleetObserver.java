package dev.berth.reconciler.rollout;

/**
 * Reads the fleet's state (the agent's is Prometheus's HTTP query API). One call per pass at most;
 * a source that cannot answer is a {@link FleetUnavailable}, and a rollout then holds.
 */
public interface FleetObserver {

  /** The fleet as the source knows it now, for the revision {@code revision} being rolled out. */
  FleetState observe(String revision);

  /** The source did not answer, or not in time, or not in a form berth reads. */
  final class FleetUnavailable extends RuntimeException {
    public FleetUnavailable(String message) {
      super(message, null, false, false);
    }
  }
}
