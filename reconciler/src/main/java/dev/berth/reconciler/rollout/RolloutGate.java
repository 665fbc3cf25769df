package dev.berth.reconciler.rollout;

import dev.berth.reconciler.model.Host;
import dev.berth.reconciler.model.Rollout;
import dev.berth.reconciler.model.RolloutSpec;
import dev.berth.reconciler.model.RolloutSpec.After;
import dev.berth.reconciler.model.RolloutSpec.Wave;
import dev.berth.reconciler.rollout.FleetObserver.FleetUnavailable;
import dev.berth.reconciler.rollout.FleetState.HostState;
import dev.berth.reconciler.rollout.RolloutDecision.Go;
import dev.berth.reconciler.rollout.RolloutDecision.Hold;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Decides, on one host, whether it may apply a revision now: the {@link Rollout}'s halt, the host's
 * jitter, then the gate of its wave (the waves before it converged and soaked, none of their hosts
 * broke on the revision), unless the operator promoted the wave. Pure: the fleet's state comes from
 * a {@link FleetObserver}, read only when the gate needs it.
 */
public final class RolloutGate {
  private final RolloutSpec spec;

  public RolloutGate(Rollout rollout) {
    this.spec = rollout.spec();
    if (spec.waves().isEmpty()) {
      throw new IllegalArgumentException("Rollout " + rollout.name() + " has no waves");
    }
  }

  /**
   * The wave of a host by its labels: the first wave whose selector matches; a selector-less wave
   * takes every host no earlier wave took; a host no wave selects belongs to the last wave.
   */
  public Wave waveOf(Map<String, String> hostLabels) {
    for (Wave wave : spec.waves()) {
      if (wave.selector().map(selector -> selector.matches(hostLabels)).orElse(true)) {
        return wave;
      }
    }
    return spec.waves().get(spec.waves().size() - 1);
  }

  /**
   * Whether the host may apply revision now. firstSeen: when this host first saw revision; fleet is
   * called at most once, only when the decision needs it.
   */
  public RolloutDecision decide(
      Host host, String revision, Instant firstSeen, Instant now, FleetObserver fleet) {
    Wave wave = waveOf(host.labels());
    if (spec.halt()) {
      return hold(wave, HoldReason.HALTED, "rollout halted by its manifest", Optional.empty());
    }
    Instant jitterEnds = firstSeen.plus(JitterOffset.of(spec.applyJitter(), host.name(), revision));
    if (now.isBefore(jitterEnds)) {
      return hold(
          wave,
          HoldReason.JITTER,
          left(HoldReason.JITTER, jitterEnds, now),
          Optional.of(jitterEnds));
    }
    if (wave.after().isEmpty() || promoted(wave, now)) {
      return new Go(wave.name());
    }
    FleetState state;
    try {
      state = fleet.observe(revision);
    } catch (FleetUnavailable e) {
      return hold(
          wave,
          HoldReason.GATE_UNAVAILABLE,
          HoldReason.GATE_UNAVAILABLE.camelCase() + ": " + e.getMessage(),
          Optional.empty());
    }
    return gate(wave, wave.after().get(), revision, state, now);
  }

  private boolean promoted(Wave wave, Instant now) {
    return spec.promote().stream()
        .anyMatch(
            promotion -> promotion.wave().equals(wave.name()) && now.isBefore(promotion.until()));
  }

  /** The gate of a wave that follows another, on the fleet's state. */
  private RolloutDecision gate(
      Wave wave, After after, String revision, FleetState state, Instant now) {
    for (String earlier : chain(after)) {
      List<HostState> broke =
          hostsOf(earlier, state).stream().filter(h -> h.brokeOn(revision)).toList();
      if (!broke.isEmpty()) {
        return hold(wave, HoldReason.GATE_FAILED, broken(earlier, broke), Optional.empty());
      }
    }
    List<HostState> previous = hostsOf(after.wave(), state);
    String waiting = HoldReason.WAITING_FOR_WAVE.camelCase() + " " + after.wave() + " ";
    if (previous.isEmpty()) {
      // Fail safe: a wave that nobody reports on has not shown that the revision is good.
      return hold(
          wave,
          HoldReason.WAITING_FOR_WAVE,
          waiting + "0/0 (no host of the wave reports)",
          Optional.empty());
    }
    List<Instant> converged =
        previous.stream()
            .filter(h -> h.reporting() && h.appliedRevision().filter(revision::equals).isPresent())
            .flatMap(h -> h.convergedSince().stream())
            .toList();
    if (converged.size() < previous.size()) {
      return hold(
          wave,
          HoldReason.WAITING_FOR_WAVE,
          waiting + converged.size() + "/" + previous.size(),
          Optional.empty());
    }
    Instant last = converged.stream().max(Instant::compareTo).orElseThrow();
    Instant soaked = last.plus(after.soak());
    if (now.isBefore(soaked)) {
      return hold(
          wave, HoldReason.SOAKING, left(HoldReason.SOAKING, soaked, now), Optional.of(soaked));
    }
    return new Go(wave.name());
  }

  /** The waves before this one, nearest first: the one it follows, the one that follows, ... */
  private List<String> chain(After after) {
    List<String> chain = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    Optional<After> next = Optional.of(after);
    while (next.isPresent() && seen.add(next.get().wave())) {
      String name = next.get().wave();
      chain.add(name);
      next =
          spec.waves().stream().filter(w -> w.name().equals(name)).findFirst().flatMap(Wave::after);
    }
    return chain;
  }

  private List<HostState> hostsOf(String wave, FleetState state) {
    return state.hosts().stream().filter(h -> waveOf(h.labels()).name().equals(wave)).toList();
  }

  /** {@code GateFailed: 1 host rolled back, 0 failed in wave canary (canary-1)}. */
  private static String broken(String wave, List<HostState> broke) {
    long rolledBack = broke.stream().filter(h -> h.rolledBack() > 0).count();
    long failed = broke.stream().filter(h -> h.failed() > 0).count();
    List<String> names = broke.stream().map(HostState::host).sorted().toList();
    String shown =
        names.size() <= 5
            ? String.join(", ", names)
            : String.join(", ", names.subList(0, 5)) + " and " + (names.size() - 5) + " more";
    return HoldReason.GATE_FAILED.camelCase()
        + ": "
        + rolledBack
        + (rolledBack == 1 ? " host" : " hosts")
        + " rolled back, "
        + failed
        + " failed in wave "
        + wave
        + " ("
        + shown
        + ")";
  }

  private static String left(HoldReason reason, Instant until, Instant now) {
    return reason.camelCase() + " " + ShortDuration.of(Duration.between(now, until)) + " left";
  }

  private static Hold hold(
      Wave wave, HoldReason reason, String message, Optional<Instant> recheckAt) {
    return new Hold(wave.name(), reason, message, recheckAt);
  }
}
