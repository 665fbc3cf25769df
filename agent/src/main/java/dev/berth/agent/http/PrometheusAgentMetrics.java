package dev.berth.agent.http;

import dev.berth.agent.daemon.AgentMetrics;
import dev.berth.agent.daemon.PassResult;
import dev.berth.agent.notify.NotificationMetrics;
import dev.berth.agent.status.ContainerStatus;
import dev.berth.reconciler.load.ManifestCache;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntSupplier;

/**
 * {@link AgentMetrics} over Micrometer's Prometheus registry, exposed with the names of
 * docs/metrics.md.
 *
 * <p>Meter names are chosen for Micrometer's Prometheus naming: it appends {@code _total} to
 * counters and the base unit {@code _seconds} to timers, so the counter {@code berth.reconcile} is
 * exposed as {@code berth_reconcile_total} and the timer {@code berth.reconcile.duration} as {@code
 * berth_reconcile_duration_seconds}.
 */
public final class PrometheusAgentMetrics
    implements AgentMetrics, NotificationMetrics, AutoCloseable {
  /**
   * Results a pass can end with: pre-registered at 0 so that rate() works from the first scrape.
   */
  static final List<PassResult> PASS_RESULTS =
      List.of(
          PassResult.SUCCESS,
          PassResult.FAILED,
          PassResult.REFUSED,
          PassResult.INVALID,
          PassResult.SUSPENDED,
          PassResult.HELD);

  static final List<String> FETCH_SUCCESSES = List.of("success", "unchanged");

  /** A container in this phase is gone from the host: its series go with it. */
  private static final String REMOVED = "Removed";

  // A pass can be a no-op in milliseconds or a NixOS build of many minutes.
  private static final Duration[] PASS_BUCKETS = {
    Duration.ofMillis(10), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
    Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5),
    Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofMinutes(1), Duration.ofMinutes(2),
    Duration.ofMinutes(5), Duration.ofMinutes(10), Duration.ofMinutes(30)
  };

  private final PrometheusMeterRegistry registry;
  private final Clock clock;
  private final JvmMeters jvm;
  private final RolloutMeters rollout;
  private final Timer passDuration;
  private final AtomicLong lastFetchSuccessMillis = new AtomicLong();
  private final AtomicLong lastPassSuccessMillis = new AtomicLong();
  private final AtomicInteger suspended = new AtomicInteger();
  private final MultiGauge containerInfo;
  private final AtomicReference<ManifestCache.Stats> manifestCache =
      new AtomicReference<>(new ManifestCache.Stats(0, 0, 0, 0));

  /** The container series as last registered. */
  private List<Tags> lastInfo;

  private List<Tags> lastDrifted;

  /** The names of the containers on the host, as the last pass listed them. */
  private volatile List<String> containerNames = List.of();

  private ContainerResources resources;

  private final MultiGauge containerDrifted;
  private final MultiGauge sourceRevision;

  /**
   * Registers berth's meters and the JVM's on {@code registry}: create it on a fresh registry,
   * before anything else registers, so that the JVM meters' renames apply everywhere.
   */
  public PrometheusAgentMetrics(PrometheusMeterRegistry registry, String version) {
    this(registry, version, Clock.systemUTC());
  }

  PrometheusAgentMetrics(PrometheusMeterRegistry registry, String version, Clock clock) {
    this.registry = registry;
    this.clock = clock;
    this.jvm = new JvmMeters(registry);
    passDuration =
        Timer.builder("berth.reconcile.duration")
            .description("Duration of reconcile passes")
            .serviceLevelObjectives(PASS_BUCKETS)
            .register(registry);
    PASS_RESULTS.forEach(this::passCounter);
    FETCH_SUCCESSES.forEach(result -> fetchCounter("primary", result));
    Gauge.builder(
            "berth.source.last.fetch.success.timestamp.seconds",
            lastFetchSuccessMillis,
            PrometheusAgentMetrics::seconds)
        .description("Unix time of the last successful poll of the Git source (0: none yet)")
        .strongReference(true)
        .register(registry);
    Gauge.builder(
            "berth.last.successful.reconcile.timestamp.seconds",
            lastPassSuccessMillis,
            PrometheusAgentMetrics::seconds)
        .description("Unix time at which the last successful reconcile pass ended (0: none yet)")
        .strongReference(true)
        .register(registry);
    Gauge.builder("berth.suspended", suspended, AtomicInteger::get)
        .description("1 while the whole agent is suspended")
        .strongReference(true)
        .register(registry);
    Gauge.builder("berth.build.info", () -> 1)
        .description("The agent's version")
        .tag("version", version == null ? "unknown" : version)
        .register(registry);
    containerInfo =
        MultiGauge.builder("berth.container.info")
            .description("1 per managed container, labelled with its phase and applied revision")
            .register(registry);
    containerDrifted =
        MultiGauge.builder("berth.container.drifted")
            .description("1 while a container's actual state differs from Git")
            .register(registry);
    sourceRevision =
        MultiGauge.builder("berth.source.revision.info")
            .description("1, labelled with the revision the source is at")
            .register(registry);
    rollout = new RolloutMeters(registry);
    Gauge.builder("berth.manifest.cache.entries", manifestCache, m -> m.get().entries())
        .description("Manifest files kept read and checked, of the last two revisions loaded")
        .strongReference(true)
        .register(registry);
    Gauge.builder("berth.manifest.cache.source.bytes", manifestCache, m -> m.get().sourceBytes())
        .description("The YAML bytes the manifest cache's entries were read from")
        .strongReference(true)
        .register(registry);
    FunctionCounter.builder("berth.manifest.cache.hits", manifestCache, m -> m.get().hits())
        .description("Manifest files that a load took from the cache")
        .register(registry);
    FunctionCounter.builder("berth.manifest.cache.misses", manifestCache, m -> m.get().misses())
        .description("Manifest files that a load read and checked")
        .register(registry);
  }

  @Override
  public void manifestCache(ManifestCache.Stats stats) {
    manifestCache.set(stats);
  }

  @Override
  public void host(String name, Map<String, String> labels) {
    rollout.host(name, labels);
  }

  @Override
  public void wave(String wave) {
    rollout.wave(wave);
  }

  @Override
  public void appliedRevision(
      String revision, Optional<Instant> convergedSince, Map<String, Integer> containers) {
    rollout.appliedRevision(revision, convergedSince, containers);
  }

  @Override
  public void rolloutHeld(Optional<String> reason) {
    rollout.rolloutHeld(reason);
  }

  @Override
  public void gateQuery(String result, Duration took) {
    rollout.gateQuery(result, took);
  }

  @Override
  public void passFinished(Duration duration, PassResult result) {
    passDuration.record(duration);
    passCounter(result).increment();
    if (result == PassResult.SUCCESS || result == PassResult.HELD) {
      lastPassSuccessMillis.set(clock.millis());
    }
  }

  @Override
  public void rolledBack(String container) {
    Counter.builder("berth.rollbacks")
        .description("Automatic rollbacks of a container to its last good generation")
        .tags("container", container)
        .register(registry)
        .increment();
  }

  @Override
  public void action(String action, String result) {
    Counter.builder("berth.actions")
        .description("Actions of reconcile passes by plan class and result")
        .tags("action", action, "result", result)
        .register(registry)
        .increment();
  }

  /**
   * Replaces every container series: a container that changed phase or revision loses its old
   * series, one that is no longer listed (or is Removed) loses all. The revision label is the one
   * last applied to the container, or {@code revision} (the pass's) when none ever was.
   */
  @Override
  public synchronized void containers(List<ContainerStatus> containers, String revision) {
    List<ContainerStatus> present =
        containers.stream().filter(c -> !REMOVED.equals(c.phase())).toList();
    List<Tags> info = present.stream().map(c -> infoTags(c, revision)).toList();
    List<Tags> drifted =
        present.stream()
            .map(c -> Tags.of("container", c.name(), "drifted", c.drifted() ? "1" : "0"))
            .toList();
    // Most passes change no series; registering them all again is most of a warm pass's metrics.
    if (info.equals(lastInfo) && drifted.equals(lastDrifted)) {
      return;
    }
    forgetRollbacksOfGone(present);
    containerInfo.register(info.stream().map(tags -> MultiGauge.Row.of(tags, 1)).toList(), true);
    containerDrifted.register(
        present.stream()
            .map(c -> MultiGauge.Row.of(Tags.of("container", c.name()), c.drifted() ? 1 : 0))
            .toList(),
        true);
    lastInfo = info;
    lastDrifted = drifted;
    containerNames = present.stream().map(ContainerStatus::name).toList();
  }

  /**
   * Exports the resource use of the containers on the host (docs/metrics.md, "Container
   * resources"), read from {@code units} when Prometheus scrapes: a pass costs nothing more.
   */
  public synchronized void readResourcesWith(UnitAccounting units) {
    if (resources != null) {
      throw new IllegalStateException("the containers' resources are read already");
    }
    resources = new ContainerResources(() -> containerNames, units, ContainerResources.DEADLINE);
    registry.getPrometheusRegistry().register(resources);
  }

  /** A container gone from the host takes its rollback counter with it, as its other series. */
  private void forgetRollbacksOfGone(List<ContainerStatus> present) {
    java.util.Set<String> names =
        present.stream().map(ContainerStatus::name).collect(java.util.stream.Collectors.toSet());
    for (Counter counter : registry.find("berth.rollbacks").counters()) {
      if (!names.contains(counter.getId().getTag("container"))) {
        registry.remove(counter);
      }
    }
  }

  /** Counts a poll; a poll that found nothing new ("unchanged") reached the source all the same. */
  @Override
  public void fetch(String remote, String result) {
    fetchCounter(remote, result).increment();
    if (FETCH_SUCCESSES.contains(result)) {
      lastFetchSuccessMillis.set(clock.millis());
    }
  }

  /** One series, the current revision; none when {@code revision} is null. */
  @Override
  public synchronized void sourceRevision(String revision) {
    sourceRevision.register(
        revision == null ? List.of() : List.of(MultiGauge.Row.of(Tags.of("revision", revision), 1)),
        true);
  }

  @Override
  public void receiver(String name, IntSupplier queueLength) {
    for (Result result : Result.values()) {
      notificationCounter(name, result);
    }
    Gauge.builder("berth.notification.queue.length", queueLength, IntSupplier::getAsInt)
        .description("Events waiting to be sent to a notification receiver")
        .tag("receiver", name)
        .strongReference(true)
        .register(registry);
  }

  @Override
  public void counted(String receiver, Result result) {
    notificationCounter(receiver, result).increment();
  }

  private Counter notificationCounter(String receiver, Result result) {
    return Counter.builder("berth.notifications")
        .description("Events for notification receivers: sent, retried, failed, dropped")
        .tag("receiver", receiver)
        .tag("result", result.label())
        .register(registry);
  }

  @Override
  public void suspended(boolean suspended) {
    this.suspended.set(suspended ? 1 : 0);
  }

  @Override
  public synchronized void close() {
    jvm.close();
    if (resources != null) {
      registry.getPrometheusRegistry().unregister(resources);
      resources.close();
    }
  }

  private Counter passCounter(PassResult result) {
    return Counter.builder("berth.reconcile")
        .description("Reconcile passes by result")
        .tag("result", result.label())
        .register(registry);
  }

  private Counter fetchCounter(String remote, String result) {
    return Counter.builder("berth.source.fetch")
        .description("Polls of the Git source by remote (primary, mirror-N) and result")
        .tag("remote", remote)
        .tag("result", result)
        .register(registry);
  }

  private static Tags infoTags(ContainerStatus container, String passRevision) {
    String revision = container.lastAppliedRevision();
    if (revision == null) {
      revision = passRevision == null ? "" : passRevision;
    }
    return Tags.of(
        "container",
        container.name(),
        "phase",
        container.phase() == null ? "Unknown" : container.phase(),
        "revision",
        revision);
  }

  private static double seconds(AtomicLong millis) {
    return millis.get() / 1000.0;
  }
}
