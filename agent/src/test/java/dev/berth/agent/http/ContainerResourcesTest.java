package dev.berth.agent.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import dev.berth.reconciler.host.RuntimeFailure;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ContainerResourcesTest {
  /** UINT64_MAX as systemd reports "not accounted", in a long's 64 bits. */
  private static final long UINT64_MAX = -1L;

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final PrometheusAgentMetrics metrics = new PrometheusAgentMetrics(registry, "1.2.3");

  /** systemd's answers by unit; a unit not in it answers with an error. */
  private final Map<String, Map<String, Long>> systemd = new HashMap<>();

  private final List<String> asked = new ArrayList<>();
  private final List<AutoCloseable> open = new ArrayList<>();

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable closeable : open) {
      closeable.close();
    }
    metrics.close();
    registry.close();
  }

  /** Answers what was asked of what {@link #systemd} holds, as the bus adapter does. */
  private Map<String, Long> read(String unit, List<String> properties) {
    asked.add(unit + " " + properties);
    Map<String, Long> answer = systemd.get(unit);
    if (answer == null) {
      throw new RuntimeFailure("cannot read the accounting of " + unit + ": no such unit");
    }
    Map<String, Long> values = new HashMap<>(answer);
    values.keySet().retainAll(properties);
    return values;
  }

  /** A unit's accounting; IP accounting is on unless both IP byte counts are UINT64_MAX. */
  private static Map<String, Long> accounting(
      long memory, long cpuNanos, long tasks, long ipBytesIn, long ipBytesOut) {
    boolean ipAccounting = ipBytesIn != UINT64_MAX || ipBytesOut != UINT64_MAX;
    return accounting(memory, cpuNanos, tasks, ipAccounting, ipBytesIn, ipBytesOut);
  }

  private static Map<String, Long> accounting(
      long memory,
      long cpuNanos,
      long tasks,
      boolean ipAccounting,
      long ipBytesIn,
      long ipBytesOut) {
    return Map.of(
        "MemoryCurrent", memory,
        "CPUUsageNSec", cpuNanos,
        "TasksCurrent", tasks,
        "IPAccounting", ipAccounting ? 1L : 0L,
        "IPIngressBytes", ipBytesIn,
        "IPEgressBytes", ipBytesOut,
        "IPIngressPackets", ipBytesIn == UINT64_MAX ? UINT64_MAX : ipBytesIn / 100,
        "IPEgressPackets", ipBytesOut == UINT64_MAX ? UINT64_MAX : ipBytesOut / 100);
  }

  private static final String ALWAYS_READ =
      " [MemoryCurrent, CPUUsageNSec, TasksCurrent, IPAccounting]";

  private static final String IP_COUNTERS =
      " [IPIngressBytes, IPEgressBytes, IPIngressPackets, IPEgressPackets]";

  private void running(String... names) {
    List<dev.berth.agent.status.ContainerStatus> containers = new ArrayList<>();
    for (String name : names) {
      containers.add(PrometheusAgentMetricsTest.container(name, "Running", "r1", false));
    }
    metrics.containers(containers, "r1");
  }

  private Exposition scrape() {
    return Exposition.parse(registry.scrape());
  }

  @Test
  void eachContainersAccountingIsExportedUnderPrometheusNamesWhenScraped() {
    metrics.readResourcesWith(this::read);
    systemd.put(
        "systemd-nspawn@web.service", accounting(50L << 20, 2_500_000_000L, 7, 12_800, 6_400));
    running("web");
    assertThat(asked).as("nothing is read before a scrape").isEmpty();

    Exposition exposition = scrape();

    assertThat(exposition.samples())
        .contains(
            entry("berth_container_memory_bytes{container=\"web\"}", 52428800.0),
            entry("berth_container_cpu_seconds_total{container=\"web\"}", 2.5),
            entry("berth_container_tasks{container=\"web\"}", 7.0),
            entry("berth_container_network_receive_bytes_total{container=\"web\"}", 12800.0),
            entry("berth_container_network_transmit_bytes_total{container=\"web\"}", 6400.0),
            entry("berth_container_network_receive_packets_total{container=\"web\"}", 128.0),
            entry("berth_container_network_transmit_packets_total{container=\"web\"}", 64.0),
            entry("berth_container_resource_read_failures_total{reason=\"error\"}", 0.0),
            entry("berth_container_resource_read_failures_total{reason=\"timeout\"}", 0.0));
    assertThat(exposition.types("berth_container_"))
        .containsAllEntriesOf(
            Map.of(
                "berth_container_memory_bytes", "gauge",
                "berth_container_cpu_seconds_total", "counter",
                "berth_container_tasks", "gauge",
                "berth_container_network_receive_bytes_total", "counter",
                "berth_container_network_transmit_packets_total", "counter",
                "berth_container_resource_read_failures_total", "counter"));
    assertThat(asked)
        .as("IP accounting on: the IP counters are read after the switch")
        .containsExactly(
            "systemd-nspawn@web.service" + ALWAYS_READ, "systemd-nspawn@web.service" + IP_COUNTERS);
  }

  @Test
  void withIpAccountingOffAUnitCostsFourReadsAndHasNoNetworkSeries() {
    metrics.readResourcesWith(this::read);
    // Off, systemd answers UINT64_MAX for each IP counter: they are not asked.
    systemd.put(
        "systemd-nspawn@web.service", accounting(4096, 1000, 2, false, UINT64_MAX, UINT64_MAX));
    running("web");

    Exposition exposition = scrape();

    assertThat(asked).containsExactly("systemd-nspawn@web.service" + ALWAYS_READ);
    assertThat(exposition.series("berth_container_memory_bytes"))
        .containsExactly(entry("berth_container_memory_bytes{container=\"web\"}", 4096.0));
    assertThat(exposition.types("berth_container_network_")).isEmpty();
    assertThat(exposition.series("berth_container_resource_read_failures_total"))
        .containsValues(0.0, 0.0);
  }

  @Test
  void withIpAccountingOnTheCountersAreReadAndNotAccountedOnesStillHaveNoSample() {
    metrics.readResourcesWith(this::read);
    systemd.put("systemd-nspawn@web.service", accounting(4096, 1000, 2, true, 12_800, 6_400));
    // On, but the unit is not running: systemd accounts nothing of it.
    systemd.put(
        "systemd-nspawn@db.service",
        accounting(UINT64_MAX, UINT64_MAX, UINT64_MAX, true, UINT64_MAX, UINT64_MAX));
    running("web", "db");

    Exposition exposition = scrape();

    assertThat(asked)
        .containsExactly(
            "systemd-nspawn@web.service" + ALWAYS_READ,
            "systemd-nspawn@web.service" + IP_COUNTERS,
            "systemd-nspawn@db.service" + ALWAYS_READ,
            "systemd-nspawn@db.service" + IP_COUNTERS);
    assertThat(exposition.series("berth_container_network_receive_bytes_total"))
        .containsExactly(
            entry("berth_container_network_receive_bytes_total{container=\"web\"}", 12800.0));
    assertThat(exposition.series("berth_container_network_transmit_packets_total"))
        .containsExactly(
            entry("berth_container_network_transmit_packets_total{container=\"web\"}", 64.0));
    assertThat(exposition.samples().values()).allMatch(value -> value < 1e18);
  }

  @Test
  void aSwitchLeftOutOfTheAnswerCountsAsOn() {
    // An adapter that knows no IPAccounting answer: the counters are read, as before the switch.
    metrics.readResourcesWith(
        (unit, properties) -> {
          Map<String, Long> answer = new HashMap<>(read(unit, properties));
          answer.remove("IPAccounting");
          return answer;
        });
    systemd.put("systemd-nspawn@web.service", accounting(4096, 1000, 2, true, 12_800, 6_400));
    running("web");

    Exposition exposition = scrape();

    assertThat(asked)
        .containsExactly(
            "systemd-nspawn@web.service" + ALWAYS_READ, "systemd-nspawn@web.service" + IP_COUNTERS);
    assertThat(exposition.series("berth_container_network_receive_bytes_total")).hasSize(1);
  }

  @Test
  void aQuantitySystemdReportsAsUint64MaxHasNoSampleInsteadOf18e18() {
    metrics.readResourcesWith(this::read);
    // IP accounting off, CPU not accounted: systemd says UINT64_MAX.
    systemd.put(
        "systemd-nspawn@web.service", accounting(4096, UINT64_MAX, 2, UINT64_MAX, UINT64_MAX));
    // Stopped: its unit has no cgroup, nothing is accounted.
    systemd.put(
        "systemd-nspawn@db.service",
        accounting(UINT64_MAX, UINT64_MAX, UINT64_MAX, UINT64_MAX, UINT64_MAX));
    running("web", "db");

    Exposition exposition = scrape();

    assertThat(exposition.series("berth_container_memory_bytes"))
        .containsExactly(entry("berth_container_memory_bytes{container=\"web\"}", 4096.0));
    assertThat(exposition.series("berth_container_tasks"))
        .containsExactly(entry("berth_container_tasks{container=\"web\"}", 2.0));
    assertThat(exposition.series("berth_container_cpu_seconds_total")).isEmpty();
    assertThat(exposition.series("berth_container_network_receive_bytes_total")).isEmpty();
    assertThat(exposition.types("berth_container_network_")).isEmpty();
    assertThat(exposition.samples().values()).allMatch(value -> value < 1e18);
    assertThat(exposition.series("berth_container_resource_read_failures_total"))
        .containsValues(0.0, 0.0);
  }

  @Test
  void aValuePast2To63IsReadUnsigned() {
    assertThat(ContainerResource.MEMORY.value(Long.MIN_VALUE)).hasValue(0x1p63);
    assertThat(ContainerResource.CPU.value(3_000_000_000L)).hasValue(3.0);
    assertThat(ContainerResource.TASKS.value(ContainerResource.NOT_ACCOUNTED)).isEmpty();
  }

  @Test
  void aUnitThatCannotBeReadIsCountedAndTheOthersAreServed() {
    metrics.readResourcesWith(this::read);
    systemd.put("systemd-nspawn@web.service", accounting(4096, 1000, 2, 0, 0));
    running("gone", "web");

    Exposition first = scrape();
    Exposition second = scrape();

    assertThat(first.series("berth_container_memory_bytes"))
        .containsOnlyKeys("berth_container_memory_bytes{container=\"web\"}");
    assertThat(first.samples())
        .contains(entry("berth_container_resource_read_failures_total{reason=\"error\"}", 1.0));
    assertThat(second.samples())
        .contains(
            entry("berth_container_resource_read_failures_total{reason=\"error\"}", 2.0),
            entry("berth_container_resource_read_failures_total{reason=\"timeout\"}", 0.0));
  }

  @Test
  void theContainersReadAreTheOnesTheLastPassListed() {
    metrics.readResourcesWith(this::read);
    systemd.put("systemd-nspawn@web.service", accounting(4096, 1000, 2, 0, 0));
    systemd.put("systemd-nspawn@db.service", accounting(8192, 1000, 3, 0, 0));
    running("web", "db");
    assertThat(scrape().series("berth_container_tasks")).hasSize(2);

    running("web");

    assertThat(scrape().series("berth_container_tasks"))
        .containsOnlyKeys("berth_container_tasks{container=\"web\"}");
  }

  @Test
  void withoutContainersNothingIsReadAndTheFailureCountsStartAtZero() {
    metrics.readResourcesWith(this::read);

    Exposition exposition = scrape();

    assertThat(asked).isEmpty();
    assertThat(exposition.types("berth_container_"))
        .containsEntry("berth_container_resource_read_failures_total", "counter")
        .doesNotContainKeys("berth_container_memory_bytes", "berth_container_tasks");
    assertThat(exposition.series("berth_container_resource_read_failures_total"))
        .containsOnly(
            entry("berth_container_resource_read_failures_total{reason=\"error\"}", 0.0),
            entry("berth_container_resource_read_failures_total{reason=\"timeout\"}", 0.0));
  }

  @Test
  void aBusThatDoesNotAnswerEndsTheScrapeAtTheDeadlineWithWhatWasRead() throws Exception {
    CountDownLatch answer = new CountDownLatch(1);
    systemd.put("systemd-nspawn@web.service", accounting(4096, 1000, 2, 0, 0));
    systemd.put("systemd-nspawn@stuck.service", accounting(8192, 1000, 2, 0, 0));
    UnitAccounting hanging =
        (unit, properties) -> {
          if (unit.equals("systemd-nspawn@stuck.service")) {
            try {
              answer.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
          return read(unit, properties);
        };
    ContainerResources resources =
        new ContainerResources(
            () -> List.of("web", "stuck", "db"), hanging, Duration.ofMillis(300));
    open.add(answer::countDown);
    open.add(resources);
    registry.getPrometheusRegistry().register(resources);

    long start = System.nanoTime();
    Exposition first = scrape();
    Duration firstTook = Duration.ofNanos(System.nanoTime() - start);
    start = System.nanoTime();
    Exposition second = scrape(); // the reader is still stuck on the first scrape's read
    Duration secondTook = Duration.ofNanos(System.nanoTime() - start);

    assertThat(firstTook).isBetween(Duration.ofMillis(300), Duration.ofSeconds(2));
    assertThat(secondTook).isBetween(Duration.ofMillis(300), Duration.ofSeconds(2));
    assertThat(first.series("berth_container_memory_bytes"))
        .containsOnlyKeys("berth_container_memory_bytes{container=\"web\"}");
    assertThat(first.samples())
        .contains(entry("berth_container_resource_read_failures_total{reason=\"timeout\"}", 2.0));
    assertThat(second.series("berth_container_memory_bytes")).isEmpty();
    assertThat(second.samples())
        .contains(
            entry("berth_container_resource_read_failures_total{reason=\"timeout\"}", 5.0),
            entry("berth_container_resource_read_failures_total{reason=\"error\"}", 0.0));

    answer.countDown(); // the stuck read ends after its scrape: nothing of it is counted twice
    Exposition third = scrape();

    assertThat(third.series("berth_container_memory_bytes"))
        .containsOnlyKeys(
            "berth_container_memory_bytes{container=\"web\"}",
            "berth_container_memory_bytes{container=\"stuck\"}");
    assertThat(third.samples())
        .contains(
            entry("berth_container_resource_read_failures_total{reason=\"timeout\"}", 5.0),
            entry("berth_container_resource_read_failures_total{reason=\"error\"}", 1.0));
  }
}
