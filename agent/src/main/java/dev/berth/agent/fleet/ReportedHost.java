package dev.berth.agent.fleet;

import dev.berth.reconciler.rollout.FleetState.HostState;
import java.util.Optional;

/**
 * One host of the fleet as Prometheus holds it: the rollout's view of it ({@link HostState}) and
 * what {@code berth fleet} shows besides. {@code target} is the scrape target ({@code
 * job/instance}); {@code wave} is empty where it is unknown (a host that stopped reporting after
 * changing waves), {@code ""} for no Rollout; {@code held} is the reason its rollout holds.
 */
public record ReportedHost(
    HostState state,
    String target,
    Optional<String> wave,
    int ready,
    int pending,
    int drifted,
    Optional<String> held) {}
