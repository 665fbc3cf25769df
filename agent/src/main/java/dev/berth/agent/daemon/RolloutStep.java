package dev.berth.agent.daemon;

import dev.berth.reconciler.model.Host;
import dev.berth.reconciler.model.Rollout;
import dev.berth.reconciler.model.RolloutSpec;
import dev.berth.reconciler.pass.HeldActions;
import dev.berth.reconciler.rollout.FleetObserver;
import dev.berth.reconciler.rollout.FleetObserver.FleetUnavailable;
import dev.berth.reconciler.rollout.FleetState;
import dev.berth.reconciler.rollout.MaintenanceWindows;
import dev.berth.reconciler.rollout.RolloutDecision;
import dev.berth.reconciler.rollout.RolloutGate;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * The agent's one decision point for rollouts (docs/rollouts.md): which revision this host applies
 * now — the newest valid one, or, while its wave's gate holds, the one it already runs — and which
 * disruptive actions its maintenance windows hold. The newest revision's {@code Rollout} decides,
 * so a change to the Rollout itself (a halt, a promotion) takes effect at once. A repository
 * without a Rollout goes straight through.
 */
final class RolloutStep {
  /**
   * What a pass applies: {@code candidate} (the newest valid revision) or, on a hold, the applied
   * one; the host's {@code wave} ("" without a Rollout), the hold if any, and the actions held by
   * the windows.
   */
  record Choice(
      DesiredRevision candidate,
      boolean goes,
      String wave,
      Optional<RolloutDecision.Hold> hold,
      HeldActions heldActions) {}

  private final Host host;
  private final RevisionSightings sightings;
  private final AgentMetrics metrics;
  private final Clock clock;
  private volatile Function<RolloutSpec.PrometheusGate, FleetObserver> readers =
      gate -> {
        throw new FleetUnavailable("this agent reads no fleet state");
      };
  private Rollout rollout;
  private RolloutGate gate;
  private MaintenanceWindows windows;

  RolloutStep(Host host, RevisionSightings sightings, AgentMetrics metrics, Clock clock) {
    this.host = host;
    this.sightings = sightings;
    this.metrics = metrics;
    this.clock = clock;
  }

  /** Who reads the fleet's state for a Rollout's gate (the agent's: Prometheus). */
  void readFleetWith(Function<RolloutSpec.PrometheusGate, FleetObserver> readers) {
    this.readers = readers;
  }

  /**
   * Decides for {@code candidate}; {@code applied} is the revision this host applied last (empty
   * before the first), which needs no gate again: it already passed, or it is being rolled back.
   */
  Choice choose(DesiredRevision candidate, Optional<String> applied, Instant now)
      throws IOException {
    Optional<Rollout> declared = candidate.rollout();
    if (declared.isEmpty()) {
      return new Choice(candidate, true, "", Optional.empty(), HeldActions.NONE);
    }
    remember(declared.get());
    String wave = gate.waveOf(host.labels()).name();
    HeldActions held = windows.at(now);
    if (applied.filter(candidate.revision()::equals).isPresent()) {
      return new Choice(candidate, true, wave, Optional.empty(), held);
    }
    Instant firstSeen = sightings.firstSeen(candidate.revision(), now);
    RolloutDecision decision =
        gate.decide(host, candidate.revision(), firstSeen, now, observer(declared.get()));
    return decision instanceof RolloutDecision.Hold hold
        ? new Choice(candidate, false, wave, Optional.of(hold), held)
        : new Choice(candidate, true, wave, Optional.empty(), held);
  }

  /** The gate and windows of the Rollout, parsed once while it stays the same. */
  private synchronized void remember(Rollout declared) {
    if (!Objects.equals(rollout, declared)) {
      rollout = declared;
      gate = new RolloutGate(declared);
      windows = new MaintenanceWindows(declared.spec().windows());
    }
  }

  /** The fleet's reader for this Rollout's gate, timed and counted in the metrics. */
  private FleetObserver observer(Rollout declared) {
    return revision -> {
      Instant start = clock.instant();
      try {
        FleetState state =
            readers
                .apply(
                    declared
                        .spec()
                        .gate()
                        .orElseThrow(
                            () ->
                                new FleetUnavailable(
                                    "the Rollout has waves that wait for others but no gate")))
                .observe(revision);
        metrics.gateQuery("ok", Duration.between(start, clock.instant()));
        return state;
      } catch (FleetUnavailable e) {
        metrics.gateQuery("unavailable", Duration.between(start, clock.instant()));
        throw e;
      }
    };
  }
}
