package dev.berth.agent.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The containers' resource use on a real systemd host: the agent reads each container unit's
 * accounting from systemd over D-Bus when /metrics is scraped, and the scrape shows what {@code
 * systemctl show} shows for the same unit.
 *
 * <p>On a host with the legacy or hybrid cgroup hierarchy, nspawn mounts the controllers read-only
 * in the host it boots, and that host's systemd accounts nothing (every quantity UINT64_MAX). The
 * testbed's controllers are made writable and its systemd re-executed before the agent starts, so
 * that it accounts memory and tasks as a systemd on real hardware does.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ResourcesE2E {
  private static final Path JAR_DIR = Path.of("target");
  private static final Duration START = Duration.ofSeconds(60);

  /** systemd's property behind each series (docs/metrics.md, "Container resources"). */
  private static final Map<String, String> SERIES =
      Map.of(
          "berth_container_memory_bytes", "MemoryCurrent",
          "berth_container_cpu_seconds_total", "CPUUsageNSec",
          "berth_container_tasks", "TasksCurrent",
          "berth_container_network_receive_bytes_total", "IPIngressBytes",
          "berth_container_network_transmit_bytes_total", "IPEgressBytes",
          "berth_container_network_receive_packets_total", "IPIngressPackets",
          "berth_container_network_transmit_packets_total", "IPEgressPackets");

  private Path work;
  private Testbed testbed;
  private TestbedAgent agent;
  private BusyboxImage image;
  private GitRepo repo;

  @BeforeAll
  void boot() throws Exception {
    work = Files.createTempDirectory("berth-resources-e2e");
    image = BusyboxImage.build(work);
    repo = GitRepo.create(work);
    repo.write("apps/a.yaml", image.killable("a"));
    repo.write("apps/b.yaml", image.killable("b"));
    repo.commitAndPush("a and b");
    testbed = Testbed.boot(JAR_DIR, work);
    letSystemdAccount();
    agent = new TestbedAgent(testbed, work);
    agent.start(TestbedAgent.config().resyncInterval("1h"));
    Await.until("a runs", START, testbed.running("a"), agent::journal);
    Await.until("b runs", START, testbed.running("b"), agent::journal);
    // The containers read at a scrape are those the last pass listed: wait for the pass to end.
    Await.until(
        "the agent lists a and b as running",
        START,
        () ->
            agent.container("a").path("phase").asText().equals("Running")
                && agent.container("b").path("phase").asText().equals("Running"),
        agent::journal);
  }

  /** The legacy controllers writable, and systemd re-executed to find them so. */
  private void letSystemdAccount() throws Exception {
    testbed
        .sh(
            "for c in memory pids cpu cpuacct; do"
                + " if mountpoint -q /sys/fs/cgroup/$c; then"
                + " mount -o remount,bind,rw /sys/fs/cgroup/$c || exit 1; fi; done")
        .orFail("making the testbed's cgroup controllers writable");
    testbed.exec("systemctl", "daemon-reexec").orFail("re-executing the testbed's systemd");
    Await.until(
        "the testbed's systemd answers again",
        Duration.ofSeconds(30),
        () -> {
          try {
            return testbed
                .exec("systemctl", "is-system-running")
                .out()
                .strip()
                .matches("running|degraded");
          } catch (Exception e) {
            return false;
          }
        });
  }

  @AfterAll
  void shutDown() throws Exception {
    if (testbed != null) {
      testbed.close();
    }
  }

  private String scrape() throws Exception {
    return testbed
        .sh("busybox wget -q -O - http://127.0.0.1:9480/metrics")
        .orFail("scraping /metrics")
        .out();
  }

  /** The value of {@code series} for {@code container}; none when the scrape has no such sample. */
  private static OptionalDouble sample(String scrape, String series, String container) {
    Matcher line =
        Pattern.compile(
                "^" + Pattern.quote(series + "{container=\"" + container + "\"}") + " (\\S+)$",
                Pattern.MULTILINE)
            .matcher(scrape);
    return line.find()
        ? OptionalDouble.of(Double.parseDouble(line.group(1)))
        : OptionalDouble.empty();
  }

  @Test
  @Order(1)
  void aRunningContainersMemoryAndTasksAreInTheScrapeAsSystemdCountsThem() throws Exception {
    String scrape = scrape();
    OptionalDouble memory = sample(scrape, "berth_container_memory_bytes", "a");
    OptionalDouble tasks = sample(scrape, "berth_container_tasks", "a");
    assertThat(memory).as("a's memory").isPresent();
    assertThat(tasks).as("a's tasks").isPresent();
    assertThat(memory.getAsDouble()).isPositive();
    assertThat(tasks.getAsDouble()).isPositive();
    System.out.printf(
        "a: %.0f bytes of memory, %.0f tasks%n", memory.getAsDouble(), tasks.getAsDouble());
    double systemd = Double.parseDouble(testbed.unitProperty("a", "MemoryCurrent"));
    assertThat(memory.getAsDouble())
        .as("memory as systemctl show says")
        .isBetween(systemd / 2, systemd * 2);
    assertThat(tasks.getAsDouble())
        .as("tasks as systemctl show says: busybox's init and its sleep, nspawn besides")
        .isEqualTo(Double.parseDouble(testbed.unitProperty("a", "TasksCurrent")));
    assertThat(scrape)
        .contains("berth_container_resource_read_failures_total{reason=\"error\"} 0.0")
        .contains("berth_container_resource_read_failures_total{reason=\"timeout\"} 0.0");
    PromtoolCheck.assertClean(work, scrape);
  }

  @Test
  @Order(2)
  void eachSeriesIsThereExactlyWhenSystemdAccountsItsQuantity() throws Exception {
    String scrape = scrape();

    Map<String, String> seen = new LinkedHashMap<>();
    Map<String, String> expected = new LinkedHashMap<>();
    for (Map.Entry<String, String> series : SERIES.entrySet()) {
      // systemctl show prints "[not set]" or "[no data]" for UINT64_MAX.
      String value = testbed.unitProperty("a", series.getValue());
      expected.put(series.getKey(), value.matches("\\d+") ? "present" : "absent");
      seen.put(
          series.getKey(), sample(scrape, series.getKey(), "a").isPresent() ? "present" : "absent");
    }

    assertThat(seen).isEqualTo(expected);
    assertThat(seen)
        .as("IP accounting is off by default")
        .containsEntry("berth_container_network_receive_bytes_total", "absent");
    assertThat(scrape).doesNotContainPattern("\\d[eE]\\+?19\\b");
  }

  @Test
  @Order(3)
  void aStoppedContainerHasNoResourceSeriesButStaysListed() throws Exception {
    repo.write("apps/b.yaml", image.killable("b", "state: stopped"));
    repo.commitAndPush("b stopped");
    agent.reconcile();
    Await.until("b stops", START, () -> !testbed.running("b").getAsBoolean(), agent::journal);
    Await.until(
        "the agent lists b as stopped",
        START,
        () -> agent.container("b").path("phase").asText().equals("Stopped"),
        agent::journal);

    String scrape = scrape();

    assertThat(scrape).contains("berth_container_info{container=\"b\",phase=\"Stopped\"");
    for (String series : SERIES.keySet()) {
      assertThat(sample(scrape, series, "b")).as(series).isEmpty();
    }
    assertThat(sample(scrape, "berth_container_memory_bytes", "a")).isPresent();
  }
}
