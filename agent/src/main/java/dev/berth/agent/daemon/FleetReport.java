package dev.berth.agent.daemon;

import dev.berth.reconciler.apply.ContainerResult;
import dev.berth.reconciler.apply.Outcome;
import dev.berth.reconciler.pass.SkipReason;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What this host tells the fleet through its metrics after each pass (docs/rollouts.md): the
 * revision it applied, since when it has run that revision with every container ready, and how many
 * of its containers are ready, failed, rolled back or pending on it. The next wave's agents read
 * this from Prometheus. After a restart the converged time starts again: a soak never counts time
 * that no agent vouched for.
 */
final class FleetReport {
  private final AgentMetrics metrics;
  private String revision;
  private Instant convergedSince;

  FleetReport(AgentMetrics metrics) {
    this.metrics = metrics;
  }

  /** A pass applied {@code applied}; {@code desired} names the containers it should run. */
  synchronized void passApplied(
      String applied,
      Set<String> desired,
      List<ContainerResult> results,
      boolean converged,
      Instant now) {
    Map<String, Integer> states = new LinkedHashMap<>();
    for (String state : List.of("ready", "failed", "rolled_back", "pending")) {
      states.put(state, 0);
    }
    boolean windowed = false;
    for (ContainerResult result : results) {
      if (desired.contains(result.name())) {
        states.merge(state(result), 1, Integer::sum);
        windowed |= result.skip().orElse(null) == SkipReason.OUTSIDE_WINDOW;
      }
    }
    // Runs the revision only when nothing of it waits for a window, failed or went back.
    boolean runs =
        converged && !windowed && states.get("failed") == 0 && states.get("rolled_back") == 0;
    if (!applied.equals(revision)) {
      revision = applied;
      convergedSince = null;
    }
    convergedSince = runs ? (convergedSince == null ? now : convergedSince) : null;
    metrics.appliedRevision(applied, Optional.ofNullable(convergedSince), states);
  }

  private static String state(ContainerResult result) {
    if (result.outcome() == Outcome.CONVERGED) {
      return "ready";
    }
    if (result.outcome() == Outcome.FAILED) {
      return "failed";
    }
    if (result.outcome() == Outcome.ROLLED_BACK
        || result.skip().orElse(null) == SkipReason.ROLLED_BACK) {
      return "rolled_back";
    }
    return "pending";
  }
}
