package dev.berth.agent.daemon;

import dev.berth.agent.status.ContainerStatus;
import dev.berth.reconciler.load.ManifestCache;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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

  /**
   * This host: berth_host_info{host,wave} 1 and one berth_host_label{key,value} 1 per label
   * (lossless: label keys like topology.kubernetes.io/zone are label VALUES here).
   */
  default void host(String name, Map<String, String> labels) {}

  /**
   * The wave this host is in under the desired revision's Rollout ("" without one): replaces
   * berth_host_info's wave label.
   */
  default void wave(String wave) {}

  /**
   * The revision the last pass applied: berth_applied_revision_info{revision} 1 (one series; the
   * old one goes), berth_applied_revision_containers{state} for state ready, failed, rolled_back,
   * pending (all four always present), berth_applied_revision_converged_timestamp_seconds =
   * convergedSince (the series absent while empty).
   */
  default void appliedRevision(
      String revision, Optional<Instant> convergedSince, Map<String, Integer> containers) {}

  /**
   * berth_rollout_held{reason} 1 for the reason (WaitingForWave, Soaking, GateFailed,
   * GateUnavailable, Jitter, Halted, OutsideWindow), 0 for the others; all 0 when empty.
   */
  default void rolloutHeld(Optional<String> reason) {}

  /**
   * One read of the fleet's state: berth_rollout_gate_queries_total{result="ok"|"unavailable"},
   * berth_rollout_gate_query_duration_seconds (histogram).
   */
  default void gateQuery(String result, Duration took) {}

  /**
   * The manifest cache after a load: berth_manifest_cache_entries and
   * berth_manifest_cache_source_bytes (gauges), berth_manifest_cache_hits_total and
   * berth_manifest_cache_misses_total (counters, the cache's totals).
   */
  default void manifestCache(ManifestCache.Stats stats) {}
}
