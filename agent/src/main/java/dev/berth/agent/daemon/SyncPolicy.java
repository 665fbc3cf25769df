package dev.berth.agent.daemon;

import dev.berth.agent.config.AgentConfig;
import dev.berth.reconciler.model.Container;
import dev.berth.reconciler.pass.PassPolicy;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How far the agent's next pass may go, from the configured sync policy, the suspensions and the
 * backoff: the {@link PassPolicy} the pass planner decides with. The whole agent suspended observes
 * and reports only.
 */
final class SyncPolicy {
  private final AgentConfig.Sync sync;
  private final Suspensions suspensions;
  private final Backoff backoff;

  SyncPolicy(AgentConfig.Sync sync, Suspensions suspensions, Backoff backoff) {
    this.sync = sync;
    this.suspensions = suspensions;
    this.backoff = backoff;
  }

  PassPolicy at(Instant now, List<Container> desired) {
    Map<String, String> frozen = new HashMap<>();
    for (String name : suspensions.containers()) {
      frozen.put(name, "suspended");
    }
    if (suspensions.all()) {
      for (Container container : desired) {
        frozen.put(container.name(), "suspended (the whole agent)");
      }
    }
    backoff
        .waiting(now)
        .forEach(
            (name, until) ->
                frozen.putIfAbsent(name, "backing off after a failure until " + until));
    return suspensions.all()
        ? PassPolicy.observeOnly(frozen)
        : new PassPolicy(
            frozen, sync.prune(), sync.selfHeal(), sync.maxRemovals(), sync.allowEmpty());
  }
}
