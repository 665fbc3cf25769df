package dev.berth.reconciler.rollout;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the fleet's agents report about themselves, as Prometheus holds it (the agents' own metrics,
 * scraped): each host's labels, the revision it applied, since when it has run that revision with
 * every container ready, and how many of its containers failed or rolled back on it. No
 * coordinator: each agent reads this and decides alone.
 */
public record FleetState(List<HostState> hosts, Instant observedAt) {
  public FleetState {
    hosts = List.copyOf(hosts);
  }

  /**
   * One host as its agent reports it: {@code convergedSince} is when it first ran {@code
   * appliedRevision} with every container ready (empty while it has not); {@code reporting} is
   * false for a host Prometheus knew within its lookback but does not scrape now (its agent is
   * down).
   */
  public record HostState(
      String host,
      Map<String, String> labels,
      Optional<String> appliedRevision,
      Optional<Instant> convergedSince,
      int failed,
      int rolledBack,
      boolean reporting) {
    public HostState {
      labels = Map.copyOf(labels);
    }

    /** Whether this host took {@code revision} and it broke something there. */
    public boolean brokeOn(String revision) {
      return appliedRevision.filter(revision::equals).isPresent() && (failed > 0 || rolledBack > 0);
    }
  }
}
