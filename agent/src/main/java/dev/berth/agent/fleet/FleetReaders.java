package dev.berth.agent.fleet;

import dev.berth.reconciler.model.RolloutSpec;
import dev.berth.reconciler.rollout.FleetObserver;
import java.util.function.Function;

/**
 * The agent's reader of the fleet's state for a Rollout's gate: one {@link PrometheusFleet} (and
 * its HTTP client) while the gate stays the same, a new one when a commit changes it.
 */
public final class FleetReaders implements Function<RolloutSpec.PrometheusGate, FleetObserver> {
  private RolloutSpec.PrometheusGate gate;
  private PrometheusFleet reader;

  @Override
  public synchronized FleetObserver apply(RolloutSpec.PrometheusGate wanted) {
    if (!wanted.equals(gate)) {
      reader = new PrometheusFleet(wanted.url(), wanted.timeout());
      gate = wanted;
    }
    return reader;
  }
}
