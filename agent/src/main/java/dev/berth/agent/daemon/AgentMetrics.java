package dev.berth.agent.daemon;

import dev.berth.agent.status.ContainerStatus;
import java.time.Duration;
import java.util.List;

/**
 * The agent's Prometheus metrics (the names of docs/metrics.md). Label values are bounded by the
 * containers on the host: a container that goes away takes its series with it.
 */
public interface AgentMetrics {
  /** Records nothing: for an agent without a metrics endpoint, and for tests. */
  AgentMetrics NONE = new AgentMetrics() {};

  /** A pass ended. */
  default void passFinished(Duration duration, PassResult result) {}

  /**
   * One action of a pass: {@code action} a plan class, {@code result} converged, failed, blocked,
   * skipped.
   */
  default void action(String action, String result) {}

  /** berth rolled {@code container} back to its last good generation. */
  default void rolledBack(String container) {}

  /** The containers now, for berth_container_info and berth_container_drifted. */
  default void containers(List<ContainerStatus> containers, String revision) {}

  /** A poll of the source: {@code result} success, unchanged or a failure reason. */
  default void fetch(String result) {
    fetch("primary", result);
  }

  /** A poll of one remote: {@code remote} is "primary" or "mirror-N". */
  default void fetch(String remote, String result) {}

  default void sourceRevision(String revision) {}

  default void suspended(boolean suspended) {}
}
