package dev.berth.reconciler.rollout;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the fleet's agents report about themselves, as Prometheus holds it (the agents' own metrics,
 * scraped): each host's labels, the revision it applied and since when, and whether it rolled back
 * or failed on that revision. No coordinator: each agent reads this and decides alone.
 */
public record FleetState(List<HostState> hosts, Instant observedAt) {
  public FleetState {
    hosts = List.copyOf(hosts);
  }

  /** One host as its agent reports it. */
  public record HostState(
      String host,
      Map<String, String> labels,
      Optional<String> appliedRevision,
      Optional<Instant> appliedSince,
      int rolledBack,
      int failing) {
    public HostState {
      labels = Map.copyOf(labels);
    }
  }
}
