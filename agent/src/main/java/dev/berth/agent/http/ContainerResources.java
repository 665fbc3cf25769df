package dev.berth.agent.http;

import dev.berth.reconciler.render.HostPaths;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The managed containers' resource use as systemd accounts it ({@link ContainerResource}), read
 * when Prometheus scrapes, never in a pass. A scrape reads every container's unit on one reader
 * thread and waits for it up to a deadline: it serves what was read by then, and a unit whose read
 * failed or did not happen in time has no samples this scrape and is counted in {@code
 * berth_container_resource_read_failures_total}. A quantity systemd does not account has no sample.
 */
final class ContainerResources implements MultiCollector, AutoCloseable {
  /** How long a scrape waits for systemd's answers in all. */
  static final Duration DEADLINE = Duration.ofSeconds(2);

  static final String FAILURES = "berth_container_resource_read_failures";

  /** Why a unit has no samples in a scrape: its read failed, or was not done by the deadline. */
  static final String ERROR = "error";

  static final String TIMEOUT = "timeout";

  /** Read of every unit: the quantities accounted without IP accounting, and its switch. */
  private static final List<String> ALWAYS_READ =
      Stream.concat(
              Arrays.stream(ContainerResource.values())
                  .filter(resource -> !ContainerResource.IP_COUNTERS.contains(resource))
                  .map(resource -> resource.property),
              Stream.of(ContainerResource.IP_ACCOUNTING))
          .toList();

  /** Read of a unit whose IP accounting is not off. */
  private static final List<String> IP_COUNTERS =
      ContainerResource.IP_COUNTERS.stream().map(resource -> resource.property).toList();

  private final Supplier<List<String>> containers;
  private final UnitAccounting accounting;
  private final Duration deadline;
  private final AtomicLong errors = new AtomicLong();
  private final AtomicLong timeouts = new AtomicLong();

  /**
   * One thread: a read that outlives its scrape delays the next one's, which then gives up at its
   * own deadline, instead of more threads piling onto a bus that does not answer.
   */
  private final ExecutorService reader =
      Executors.newSingleThreadExecutor(
          task -> {
            Thread thread = new Thread(task, "berth-container-resources");
            thread.setDaemon(true);
            return thread;
          });

  /**
   * Reads the units of {@code containers} (names, as at the last pass) through {@code accounting}.
   */
  ContainerResources(
      Supplier<List<String>> containers, UnitAccounting accounting, Duration deadline) {
    this.containers = containers;
    this.accounting = accounting;
    this.deadline = deadline;
  }

  @Override
  public MetricSnapshots collect() {
    Map<String, Map<String, Long>> read = readAll(containers.get());
    List<MetricSnapshot> snapshots = new ArrayList<>();
    for (ContainerResource resource : ContainerResource.values()) {
      snapshot(resource, read).ifPresent(snapshots::add);
    }
    snapshots.add(
        CounterSnapshot.builder()
            .name(FAILURES)
            .help("Reads of a container unit's accounting from systemd that failed or timed out")
            .dataPoint(failures(ERROR, errors))
            .dataPoint(failures(TIMEOUT, timeouts))
            .build());
    return new MetricSnapshots(snapshots);
  }

  @Override
  public List<String> getPrometheusNames() {
    List<String> names = new ArrayList<>();
    for (ContainerResource resource : ContainerResource.values()) {
      names.add(resource.name);
    }
    names.add(FAILURES);
    return names;
  }

  /** The resource's samples of the containers that have one; none at all when none has. */
  private static Optional<MetricSnapshot> snapshot(
      ContainerResource resource, Map<String, Map<String, Long>> read) {
    Map<Labels, Double> values = new HashMap<>();
    read.forEach(
        (container, properties) -> {
          Long raw = properties.get(resource.property);
          OptionalDouble value = raw == null ? OptionalDouble.empty() : resource.value(raw);
          value.ifPresent(v -> values.put(Labels.of("container", container), v));
        });
    if (values.isEmpty()) {
      return Optional.empty();
    }
    MetricMetadata metadata = new MetricMetadata(resource.name, resource.help, resource.unit);
    return Optional.of(
        resource.counter
            ? new CounterSnapshot(
                metadata,
                points(
                    values,
                    (labels, value) -> new CounterDataPointSnapshot(value, labels, null, 0)))
            : new GaugeSnapshot(
                metadata,
                points(
                    values, (labels, value) -> new GaugeDataPointSnapshot(value, labels, null))));
  }

  private static <P> List<P> points(
      Map<Labels, Double> values, BiFunction<Labels, Double, P> point) {
    List<P> points = new ArrayList<>();
    values.forEach((labels, value) -> points.add(point.apply(labels, value)));
    return points;
  }

  private static CounterDataPointSnapshot failures(String reason, AtomicLong count) {
    return CounterDataPointSnapshot.builder()
        .labels(Labels.of("reason", reason))
        .value(count.get())
        .build();
  }

  /** The accounting of each container read within the deadline, by container name. */
  private Map<String, Map<String, Long>> readAll(List<String> names) {
    if (names.isEmpty()) {
      return Map.of();
    }
    Read read = new Read(names, System.nanoTime() + deadline.toNanos());
    try {
      Future<?> task = reader.submit(read::run);
      task.get(deadline.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException | RejectedExecutionException | ExecutionException e) {
      // Served as far as it got; the rest counts as not read in time.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    Read.Outcome outcome = read.finish();
    errors.addAndGet(outcome.failed());
    timeouts.addAndGet(outcome.unread());
    return outcome.values();
  }

  /**
   * One unit's accounting: memory, CPU, tasks and the {@code IPAccounting} switch in one exchange
   * of four {@code Get}s, and the four IP counters in a second only where the switch is not off.
   * Off (systemd's default), systemd would answer UINT64_MAX, no sample, for each of them, so the
   * series are the same as if they had been read. A {@code GetAll} of the {@code Service} interface
   * would be one exchange too, but of its hundreds of properties, each computed by systemd (cgroup
   * files and BPF maps among them) and unmarshalled here; remembering the switch between scrapes
   * would miss a {@code systemctl set-property}.
   */
  private Map<String, Long> readUnit(String unit) {
    Map<String, Long> values = new HashMap<>(accounting.read(unit, ALWAYS_READ));
    Long ipAccounting = values.remove(ContainerResource.IP_ACCOUNTING);
    // Not known (left out of the answer) counts as on: a series is never lost to a guess.
    if (ipAccounting == null || ipAccounting != 0) {
      values.putAll(accounting.read(unit, IP_COUNTERS));
    }
    return Map.copyOf(values);
  }

  /** One scrape's read: filled by the reader thread until its deadline, ended by the scrape. */
  private final class Read {
    private final List<String> names;
    private final long deadlineNanos;
    private final Map<String, Map<String, Long>> values = new HashMap<>();
    private int failed;
    private boolean finished;

    Read(List<String> names, long deadlineNanos) {
      this.names = names;
      this.deadlineNanos = deadlineNanos;
    }

    void run() {
      for (String name : names) {
        if (System.nanoTime() - deadlineNanos >= 0 || finished()) {
          return;
        }
        try {
          record(name, readUnit(HostPaths.unit(name)));
        } catch (RuntimeException e) {
          // A RuntimeFailure of the bus, or anything a broken answer throws: this unit only.
          failed();
        }
      }
    }

    private synchronized boolean finished() {
      return finished;
    }

    private synchronized void record(String name, Map<String, Long> properties) {
      if (!finished) {
        values.put(name, properties);
      }
    }

    private synchronized void failed() {
      if (!finished) {
        failed++;
      }
    }

    /** Ends the read: what it read by now; answers that come later are dropped. */
    synchronized Outcome finish() {
      finished = true;
      return new Outcome(Map.copyOf(values), failed, names.size() - values.size() - failed);
    }

    record Outcome(Map<String, Map<String, Long>> values, int failed, int unread) {}
  }

  @Override
  public void close() {
    reader.shutdownNow();
  }
}
