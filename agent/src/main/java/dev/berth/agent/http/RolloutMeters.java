package dev.berth.agent.http;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The meters the fleet's agents read back from Prometheus to roll out without a coordinator
 * (docs/metrics.md, "Rollout"): who this host is, what it applied and whether its rollout holds.
 * The Prometheus names are the ones {@code agent/.../fleet/FleetQuery} reads.
 */
final class RolloutMeters {
  /** The container counts of the applied revision: every one always has a series. */
  static final List<String> CONTAINER_STATES = List.of("ready", "failed", "rolled_back", "pending");

  /** Why a rollout holds: each has a series, 1 for the current reason, 0 for the others. */
  static final List<String> HELD_REASONS =
      List.of(
          "WaitingForWave",
          "Soaking",
          "GateFailed",
          "GateUnavailable",
          "Jitter",
          "Halted",
          "OutsideWindow");

  static final List<String> GATE_RESULTS = List.of("ok", "unavailable");

  // A query on loopback answers in milliseconds; a gate's timeout is seconds.
  private static final Duration[] QUERY_BUCKETS = {
    Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
    Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
    Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30)
  };

  private final MeterRegistry registry;
  private final MultiGauge hostInfo;
  private final MultiGauge hostLabels;
  private final MultiGauge revisionInfo;
  private final MultiGauge converged;
  private final Map<String, AtomicInteger> containers = new ConcurrentHashMap<>();
  private final AtomicReference<String> heldReason = new AtomicReference<>();
  private final Map<String, Gauge> held = new ConcurrentHashMap<>();
  private final Timer queryDuration;

  private String host;
  private String wave = "";
  private String lastRevision;
  private Optional<Instant> lastConverged;

  RolloutMeters(MeterRegistry registry) {
    this.registry = registry;
    hostInfo =
        MultiGauge.builder("berth.host.info")
            .description("1, labelled with this host's name and its wave under the Rollout")
            .register(registry);
    hostLabels =
        MultiGauge.builder("berth.host.label")
            .description("1 per label of this host (agent.yaml host.labels): key and value")
            .register(registry);
    revisionInfo =
        MultiGauge.builder("berth.applied.revision.info")
            .description("1, labelled with the revision the last pass applied")
            .register(registry);
    converged =
        MultiGauge.builder("berth.applied.revision.converged.timestamp.seconds")
            .description(
                "Unix time since which every container has been ready on the applied revision")
            .register(registry);
    for (String state : CONTAINER_STATES) {
      AtomicInteger count = new AtomicInteger();
      containers.put(state, count);
      Gauge.builder("berth.applied.revision.containers", count, AtomicInteger::get)
          .description("Containers of the applied revision by state")
          .tag("state", state)
          .strongReference(true)
          .register(registry);
    }
    HELD_REASONS.forEach(this::heldGauge);
    GATE_RESULTS.forEach(this::queryCounter);
    queryDuration =
        Timer.builder("berth.rollout.gate.query.duration")
            .description("Duration of one read of the fleet's state from Prometheus")
            .serviceLevelObjectives(QUERY_BUCKETS)
            .register(registry);
  }

  synchronized void host(String name, Map<String, String> labels) {
    host = name;
    registerHostInfo();
    hostLabels.register(
        labels.entrySet().stream()
            .map(
                label ->
                    MultiGauge.Row.of(Tags.of("key", label.getKey(), "value", label.getValue()), 1))
            .toList(),
        true);
  }

  synchronized void wave(String wave) {
    String next = wave == null ? "" : wave;
    if (!next.equals(this.wave)) { // each pass says its wave: re-register only a change
      this.wave = next;
      registerHostInfo();
    }
  }

  private void registerHostInfo() {
    hostInfo.register(
        host == null
            ? List.of()
            : List.of(MultiGauge.Row.of(Tags.of("host", host, "wave", wave), 1)),
        true);
  }

  /** Unknown states are a caller's mistake: they would vanish from the fleet's counts. */
  synchronized void appliedRevision(
      String revision, Optional<Instant> convergedSince, Map<String, Integer> counts) {
    for (String state : counts.keySet()) {
      if (!containers.containsKey(state)) {
        throw new IllegalArgumentException(
            "not a container state of berth_applied_revision_containers: " + state);
      }
    }
    containers.forEach((state, count) -> count.set(counts.getOrDefault(state, 0)));
    // Each pass reports; the series change only with the revision or the converged time.
    if (!revision.equals(lastRevision)) {
      revisionInfo.register(List.of(MultiGauge.Row.of(Tags.of("revision", revision), 1)), true);
      lastRevision = revision;
    }
    if (!convergedSince.equals(lastConverged)) {
      converged.register(
          convergedSince
              .map(since -> List.of(MultiGauge.Row.of(Tags.empty(), since.toEpochMilli() / 1000.0)))
              .orElse(List.of()),
          true);
      lastConverged = convergedSince;
    }
  }

  void rolloutHeld(Optional<String> reason) {
    reason.ifPresent(this::heldGauge); // a reason the list above lacks still gets its series
    heldReason.set(reason.orElse(null));
  }

  void gateQuery(String result, Duration took) {
    queryCounter(result).increment();
    queryDuration.record(took);
  }

  private void heldGauge(String reason) {
    held.computeIfAbsent(
        reason,
        r ->
            Gauge.builder(
                    "berth.rollout.held", heldReason, current -> r.equals(current.get()) ? 1 : 0)
                .description("1 while this host's rollout holds for the reason, 0 otherwise")
                .tag("reason", r)
                .strongReference(true)
                .register(registry));
  }

  private Counter queryCounter(String result) {
    return Counter.builder("berth.rollout.gate.queries")
        .description("Reads of the fleet's state from Prometheus by result (ok, unavailable)")
        .tag("result", result)
        .register(registry);
  }
}
