package dev.berth.reconciler.rollout;

import java.time.Instant;
import java.util.Optional;

/** Whether a host may apply a revision now ({@link Go}), or why not and when to look again. */
public sealed interface RolloutDecision permits RolloutDecision.Go, RolloutDecision.Hold {

  /** The wave of the host the decision is for. */
  String wave();

  /** The host may apply the revision. */
  record Go(String wave) implements RolloutDecision {}

  /**
   * The host keeps its current revision: {@code message} says why for a status, {@code recheckAt}
   * when the decision changes by time alone (empty: when the fleet's state changes).
   */
  record Hold(String wave, HoldReason reason, String message, Optional<Instant> recheckAt)
      implements RolloutDecision {}
}
