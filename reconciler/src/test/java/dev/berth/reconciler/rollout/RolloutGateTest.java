package dev.berth.reconciler.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.reconciler.model.Host;
import dev.berth.reconciler.model.LabelSelector;
import dev.berth.reconciler.model.ObjectMeta;
import dev.berth.reconciler.model.Rollout;
import dev.berth.reconciler.model.RolloutSpec;
import dev.berth.reconciler.model.RolloutSpec.After;
import dev.berth.reconciler.model.RolloutSpec.Promotion;
import dev.berth.reconciler.model.RolloutSpec.Wave;
import dev.berth.reconciler.rollout.FleetObserver.FleetUnavailable;
import dev.berth.reconciler.rollout.FleetState.HostState;
import dev.berth.reconciler.rollout.RolloutDecision.Go;
import dev.berth.reconciler.rollout.RolloutDecision.Hold;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The rollout's decision on one host, rule by rule and in their order: halt, jitter, first wave,
 * promotion, then the gate on the fleet's state (broken hosts in any earlier wave, the previous
 * wave's convergence, its soak).
 */
class RolloutGateTest {
  private static final String REV = "c0ffee";
  private static final Instant NOW = Instant.parse("2026-12-05T12:00:00Z");

  /** canary (ring=canary) → early (ring=early, soak 10m) → rest (every other host, soak 30m). */
  private static final List<Wave> WAVES =
      List.of(
          wave("canary", "canary", null, null),
          wave("early", "early", "canary", Duration.ofMinutes(10)),
          wave("rest", null, "early", Duration.ofMinutes(30)));

  private static final FleetObserver NOT_CALLED =
      revision -> {
        throw new AssertionError("the fleet was read, though the decision did not need it");
      };

  private static Wave wave(String name, String ring, String after, Duration soak) {
    return new Wave(
        name,
        Optional.ofNullable(ring).map(r -> new LabelSelector(Map.of("ring", r), List.of())),
        Optional.ofNullable(after).map(a -> new After(a, soak)));
  }

  private static RolloutGate gate(
      List<Wave> waves, Duration jitter, boolean halt, List<Promotion> promote) {
    return new RolloutGate(
        new Rollout(
            new ObjectMeta("fleet", Map.of(), Map.of()),
            new RolloutSpec(waves, Optional.empty(), jitter, List.of(), halt, promote)));
  }

  private static RolloutGate gate() {
    return gate(WAVES, Duration.ZERO, false, List.of());
  }

  private static Host host(String name, String ring) {
    return new Host(name, ring == null ? Map.of() : Map.of("ring", ring));
  }

  /** A host that runs REV, converged {@code ago} before NOW, and reports. */
  private static HostState converged(String name, String ring, Duration ago) {
    return new HostState(
        name, labels(ring), Optional.of(REV), Optional.of(NOW.minus(ago)), 0, 0, true);
  }

  private static HostState onRevision(
      String name, String ring, String revision, boolean converged) {
    return new HostState(
        name,
        labels(ring),
        Optional.of(revision),
        converged ? Optional.of(NOW.minus(Duration.ofHours(1))) : Optional.empty(),
        0,
        0,
        true);
  }

  private static HostState broken(String name, String ring, int failed, int rolledBack) {
    return new HostState(
        name, labels(ring), Optional.of(REV), Optional.empty(), failed, rolledBack, true);
  }

  private static HostState notReporting(HostState state) {
    return new HostState(
        state.host(),
        state.labels(),
        state.appliedRevision(),
        state.convergedSince(),
        state.failed(),
        state.rolledBack(),
        false);
  }

  private static Map<String, String> labels(String ring) {
    return ring == null ? Map.of() : Map.of("ring", ring);
  }

  /** A fleet that counts its reads and answers with these hosts. */
  private static final class Fleet implements FleetObserver {
    private final List<HostState> hosts;
    private final List<String> reads = new ArrayList<>();

    Fleet(HostState... hosts) {
      this.hosts = List.of(hosts);
    }

    @Override
    public FleetState observe(String revision) {
      reads.add(revision);
      return new FleetState(hosts, NOW);
    }
  }

  private static RolloutDecision decideEarly(Fleet fleet) {
    return gate().decide(host("early-1", "early"), REV, NOW.minus(Duration.ofHours(1)), NOW, fleet);
  }

  @Test
  void aHostIsInTheFirstWaveItsSelectorMatchesAndTheSelectorlessWaveTakesTheRest() {
    RolloutGate gate = gate();

    assertThat(gate.waveOf(Map.of("ring", "canary")).name()).isEqualTo("canary");
    assertThat(gate.waveOf(Map.of("ring", "early", "zone", "a")).name()).isEqualTo("early");
    assertThat(gate.waveOf(Map.of("zone", "a")).name()).isEqualTo("rest");
    assertThat(gate.waveOf(Map.of()).name()).isEqualTo("rest");
  }

  @Test
  void aHostNoWaveSelectsBelongsToTheLastWave() {
    RolloutGate gate =
        gate(
            List.of(
                wave("canary", "canary", null, null),
                wave("prod", "prod", "canary", Duration.ZERO)),
            Duration.ZERO,
            false,
            List.of());

    assertThat(gate.waveOf(Map.of("ring", "lab")).name()).isEqualTo("prod");
  }

  @Test
  void theFirstMatchingWaveWinsWhenTwoSelectorsMatch() {
    RolloutGate gate =
        gate(
            List.of(
                wave("canary", "canary", null, null),
                new Wave(
                    "eu",
                    Optional.of(new LabelSelector(Map.of("region", "eu"), List.of())),
                    Optional.of(new After("canary", Duration.ZERO)))),
            Duration.ZERO,
            false,
            List.of());

    assertThat(gate.waveOf(Map.of("ring", "canary", "region", "eu")).name()).isEqualTo("canary");
  }

  @Test
  void haltHoldsEveryHostBeforeJitterAndGateWithoutReadingTheFleet() {
    RolloutGate halted = gate(WAVES, Duration.ofHours(1), true, List.of());

    for (Host host : List.of(host("canary-1", "canary"), host("web-1", null))) {
      assertThat(halted.decide(host, REV, NOW, NOW, NOT_CALLED))
          .isEqualTo(
              new Hold(
                  halted.waveOf(host.labels()).name(),
                  HoldReason.HALTED,
                  "rollout halted by its manifest",
                  Optional.empty()));
    }
  }

  @Test
  void theFirstWaveGoesWithoutReadingTheFleet() {
    assertThat(gate().decide(host("canary-1", "canary"), REV, NOW, NOW, NOT_CALLED))
        .isEqualTo(new Go("canary"));
  }

  /** A host name whose jitter offset (of one hour) for REV is above two minutes. */
  private static String hostWithOffsetAboveTwoMinutes() {
    return IntStream.range(0, 100)
        .mapToObj(i -> "web-" + i)
        .filter(
            name ->
                JitterOffset.of(Duration.ofHours(1), name, REV).compareTo(Duration.ofMinutes(2))
                    > 0)
        .findFirst()
        .orElseThrow();
  }

  @Test
  void jitterHoldsUntilTheHostsOffsetHasPassedSinceItFirstSawTheRevision() {
    RolloutGate gate = gate(WAVES, Duration.ofHours(1), false, List.of());
    String name = hostWithOffsetAboveTwoMinutes();
    Instant firstSeen = NOW.minus(Duration.ofDays(1));
    Instant ends = firstSeen.plus(JitterOffset.of(Duration.ofHours(1), name, REV));

    RolloutDecision waiting =
        gate.decide(host(name, "canary"), REV, firstSeen, ends.minusSeconds(72), NOT_CALLED);

    assertThat(waiting)
        .isEqualTo(new Hold("canary", HoldReason.JITTER, "Jitter 1m12s left", Optional.of(ends)));
    assertThat(gate.decide(host(name, "canary"), REV, firstSeen, ends, NOT_CALLED))
        .isEqualTo(new Go("canary"));
  }

  @Test
  void jitterComesBeforeTheGateSoTheFleetIsNotReadDuringIt() {
    RolloutGate gate = gate(WAVES, Duration.ofHours(1), false, List.of());
    String name = hostWithOffsetAboveTwoMinutes();

    RolloutDecision decision = gate.decide(host(name, null), REV, NOW, NOW, NOT_CALLED);

    assertThat(decision).isInstanceOf(Hold.class);
    assertThat(((Hold) decision).reason()).isEqualTo(HoldReason.JITTER);
    assertThat(decision.wave()).isEqualTo("rest");
  }

  @Test
  void theJitterOffsetIsTheSameForTheSameHostAndRevisionAndDiffersByRevision() {
    Duration jitter = Duration.ofMinutes(15);

    assertThat(JitterOffset.of(jitter, "web-1", REV))
        .isEqualTo(JitterOffset.of(jitter, "web-1", REV));
    assertThat(JitterOffset.of(jitter, "web-1", REV))
        .isNotEqualTo(JitterOffset.of(jitter, "web-1", "deadbeef"));
    assertThat(JitterOffset.of(Duration.ZERO, "web-1", REV)).isZero();
  }

  @Test
  void jitterOffsetsStayWithinTheJitterAndSpreadEvenlyOverIt() {
    Duration jitter = Duration.ofMinutes(10);
    int[] buckets = new int[10];
    for (int i = 0; i < 2000; i++) {
      Duration offset = JitterOffset.of(jitter, "host-" + i, REV);
      assertThat(offset).isGreaterThanOrEqualTo(Duration.ZERO).isLessThan(jitter);
      buckets[(int) offset.toMinutes()]++;
    }

    // 200 expected per minute; ±30% is far outside what a uniform hash strays.
    assertThat(IntStream.of(buckets).boxed().toList())
        .allSatisfy(count -> assertThat(count).isBetween(140, 260));
  }

  @Test
  void aPromotedWaveGoesPastItsGateWithoutReadingTheFleetUntilThePromotionEnds() {
    RolloutGate promoted =
        gate(WAVES, Duration.ZERO, false, List.of(new Promotion("early", NOW.plusSeconds(1))));
    Host early = host("early-1", "early");

    assertThat(promoted.decide(early, REV, NOW, NOW, NOT_CALLED)).isEqualTo(new Go("early"));

    Fleet fleet = new Fleet(onRevision("canary-1", "canary", REV, false));
    RolloutDecision expired = promoted.decide(early, REV, NOW, NOW.plusSeconds(1), fleet);
    assertThat(expired).isInstanceOf(Hold.class);
    assertThat(((Hold) expired).reason()).isEqualTo(HoldReason.WAITING_FOR_WAVE);
    assertThat(fleet.reads).containsExactly(REV);
  }

  @Test
  void aPromotionOfAnotherWaveDoesNotLetThisOneGo() {
    RolloutGate promoted =
        gate(WAVES, Duration.ZERO, false, List.of(new Promotion("rest", NOW.plusSeconds(60))));
    Fleet fleet = new Fleet();

    RolloutDecision decision = promoted.decide(host("early-1", "early"), REV, NOW, NOW, fleet);

    assertThat(((Hold) decision).reason()).isEqualTo(HoldReason.WAITING_FOR_WAVE);
  }

  @Test
  void aFleetThatCannotBeReadHolds() {
    FleetObserver down =
        revision -> {
          throw new FleetUnavailable("http://127.0.0.1:9090 did not answer within 5s");
        };

    assertThat(gate().decide(host("early-1", "early"), REV, NOW, NOW, down))
        .isEqualTo(
            new Hold(
                "early",
                HoldReason.GATE_UNAVAILABLE,
                "GateUnavailable: http://127.0.0.1:9090 did not answer within 5s",
                Optional.empty()));
  }

  @Test
  void aHostThatBrokeOnTheRevisionInThePreviousWaveFailsTheGateBeforeConvergenceCounts() {
    Fleet fleet =
        new Fleet(
            broken("canary-1", "canary", 0, 1),
            onRevision("canary-2", "canary", REV, false),
            broken("early-2", "early", 3, 0));

    assertThat(decideEarly(fleet))
        .isEqualTo(
            new Hold(
                "early",
                HoldReason.GATE_FAILED,
                "GateFailed: 1 host rolled back, 0 failed in wave canary (canary-1)",
                Optional.empty()));
    assertThat(fleet.reads).containsExactly(REV);
  }

  @Test
  void aHostThatBrokeTwoWavesBackFailsTheGateOfTheThirdWave() {
    Fleet fleet =
        new Fleet(
            broken("canary-2", "canary", 1, 1),
            broken("canary-1", "canary", 2, 0),
            converged("early-1", "early", Duration.ofHours(2)));

    RolloutDecision decision = gate().decide(host("web-1", null), REV, NOW, NOW, fleet);

    assertThat(decision)
        .isEqualTo(
            new Hold(
                "rest",
                HoldReason.GATE_FAILED,
                "GateFailed: 1 host rolled back, 2 failed in wave canary (canary-1, canary-2)",
                Optional.empty()));
  }

  @Test
  void failuresOnAnotherRevisionDoNotFailTheGate() {
    HostState brokeBefore =
        new HostState(
            "canary-1", labels("canary"), Optional.of("0ld"), Optional.empty(), 2, 1, true);

    RolloutDecision decision = decideEarly(new Fleet(brokeBefore));

    assertThat(decision)
        .isEqualTo(
            new Hold(
                "early",
                HoldReason.WAITING_FOR_WAVE,
                "WaitingForWave canary 0/1",
                Optional.empty()));
  }

  @Test
  void aPreviousWaveWithoutHostsInTheFleetHolds() {
    Fleet fleet = new Fleet(converged("web-1", null, Duration.ofHours(2)));

    assertThat(decideEarly(fleet))
        .isEqualTo(
            new Hold(
                "early",
                HoldReason.WAITING_FOR_WAVE,
                "WaitingForWave canary 0/0 (no host of the wave reports)",
                Optional.empty()));
  }

  @Test
  void waitsUntilEveryHostOfThePreviousWaveRunsTheRevisionConverged() {
    Fleet fleet =
        new Fleet(
            converged("canary-1", "canary", Duration.ofHours(1)),
            converged("canary-2", "canary", Duration.ofHours(1)),
            converged("canary-3", "canary", Duration.ofHours(1)),
            onRevision("canary-4", "canary", REV, false),
            onRevision("canary-5", "canary", "0ld", true),
            onRevision("early-2", "early", "0ld", true));

    assertThat(decideEarly(fleet))
        .isEqualTo(
            new Hold(
                "early",
                HoldReason.WAITING_FOR_WAVE,
                "WaitingForWave canary 3/5",
                Optional.empty()));
  }

  @Test
  void aHostThatStoppedReportingIsNotCountedAsConverged() {
    Fleet fleet =
        new Fleet(
            converged("canary-1", "canary", Duration.ofHours(1)),
            notReporting(converged("canary-2", "canary", Duration.ofHours(1))));

    assertThat(decideEarly(fleet))
        .isEqualTo(
            new Hold(
                "early",
                HoldReason.WAITING_FOR_WAVE,
                "WaitingForWave canary 1/2",
                Optional.empty()));
  }

  @Test
  void aWaveWaitsForTheWaveItFollowsNotTheFirst() {
    Fleet fleet =
        new Fleet(
            converged("canary-1", "canary", Duration.ofHours(3)),
            converged("early-1", "early", Duration.ofHours(2)),
            onRevision("early-2", "early", REV, false));

    RolloutDecision decision = gate().decide(host("web-1", null), REV, NOW, NOW, fleet);

    assertThat(decision)
        .isEqualTo(
            new Hold(
                "rest", HoldReason.WAITING_FOR_WAVE, "WaitingForWave early 1/2", Optional.empty()));
  }

  @Test
  void soaksFromTheLastHostOfThePreviousWaveToConverge() {
    Fleet fleet =
        new Fleet(
            converged("canary-1", "canary", Duration.ofMinutes(20)),
            converged("canary-2", "canary", Duration.ofMinutes(6)));

    assertThat(decideEarly(fleet))
        .isEqualTo(
            new Hold(
                "early",
                HoldReason.SOAKING,
                "Soaking 4m left",
                Optional.of(NOW.plus(Duration.ofMinutes(4)))));
    assertThat(fleet.reads).containsExactly(REV);
  }

  @Test
  void goesOnceThePreviousWaveConvergedAndSoaked() {
    Fleet fleet =
        new Fleet(
            converged("canary-1", "canary", Duration.ofMinutes(10)),
            converged("canary-2", "canary", Duration.ofHours(1)),
            onRevision("web-1", null, "0ld", false));

    assertThat(decideEarly(fleet)).isEqualTo(new Go("early"));
    assertThat(fleet.reads).containsExactly(REV);
  }

  @Test
  void theThirdWaveGoesOnceTheSecondSoakedItsOwnTime() {
    Fleet fleet =
        new Fleet(
            converged("canary-1", "canary", Duration.ofHours(5)),
            converged("early-1", "early", Duration.ofMinutes(29)));
    Host web = host("web-1", null);

    assertThat(gate().decide(web, REV, NOW, NOW, fleet))
        .isEqualTo(
            new Hold(
                "rest", HoldReason.SOAKING, "Soaking 1m left", Optional.of(NOW.plusSeconds(60))));
    assertThat(gate().decide(web, REV, NOW, NOW.plusSeconds(60), fleet)).isEqualTo(new Go("rest"));
  }
}
