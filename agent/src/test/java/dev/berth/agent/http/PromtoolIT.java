package dev.berth.agent.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.berth.agent.daemon.PassResult;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code /metrics} serves passes Prometheus' own linter, {@code promtool check metrics}. */
class PromtoolIT {

  @TempDir Path dir;

  @Test
  void servedMetricsPassPromtool() throws Exception {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    try (PrometheusAgentMetrics metrics = new PrometheusAgentMetrics(registry, "0.1.0");
        AgentHttpServer server =
            new AgentHttpServer(
                AgentHttpServerIT.ANY_LOOPBACK_PORT, new FakeControl(), registry, null)) {
      // Every berth family with series in it, as after a few passes.
      metrics.passFinished(Duration.ofMillis(80), PassResult.SUCCESS);
      metrics.passFinished(Duration.ofSeconds(95), PassResult.FAILED);
      metrics.action("create", "converged");
      metrics.action("restart", "failed");
      metrics.containers(
          List.of(
              PrometheusAgentMetricsTest.container("web", "Running", "abc123", false),
              PrometheusAgentMetricsTest.container("db", "Failed", null, true)),
          "abc123");
      metrics.fetch("success");
      metrics.fetch("unreachable");
      metrics.sourceRevision("abc123");
      metrics.suspended(true);
      metrics.host("h1", java.util.Map.of("topology.kubernetes.io/zone", "eu-1a"));
      metrics.wave("canary");
      metrics.appliedRevision(
          "abc123",
          java.util.Optional.of(java.time.Instant.parse("2024-05-01T12:00:00Z")),
          java.util.Map.of("ready", 1, "failed", 1));
      metrics.rolloutHeld(java.util.Optional.of("Soaking"));
      metrics.gateQuery("ok", Duration.ofMillis(12));
      // systemd's accounting of a unit with every quantity accounted, IP traffic too.
      metrics.readResourcesWith(
          (unit, properties) ->
              java.util.Map.of(
                  "MemoryCurrent", 3L << 20,
                  "CPUUsageNSec", 40_000_000L,
                  "TasksCurrent", 2L,
                  "IPIngressBytes", 9000L,
                  "IPEgressBytes", 4500L,
                  "IPIngressPackets", 90L,
                  "IPEgressPackets", 45L));
      server.start();

      String body = new TestHttp(server.address()).get("/metrics").body();
      assertThat(body)
          .contains(
              "berth_container_info{",
              "berth_container_memory_bytes{",
              "berth_container_cpu_seconds_total{",
              "berth_container_network_transmit_packets_total{",
              "berth_source_revision_info{",
              "berth_host_label{",
              "berth_applied_revision_converged_timestamp_seconds ",
              "berth_rollout_gate_query_duration_seconds_bucket{");

      Check check = check(body);
      assertThat(check.output()).as("promtool check metrics said").isEmpty();
      assertThat(check.exitCode()).as("promtool's exit code").isZero();
    }
  }

  /** The check above would see a problem: promtool really reads what it is given. */
  @Test
  void promtoolFindsALintProblem() throws Exception {
    Check check =
        check("# HELP berth_pass_count x\n# TYPE berth_pass_count gauge\nberth_pass_count 1\n");
    assertThat(check.exitCode()).isNotZero();
    assertThat(check.output()).contains("berth_pass_count");
  }

  private record Check(int exitCode, String output) {}

  private Check check(String exposition) throws Exception {
    Path scrape = dir.resolve("metrics.txt");
    Files.writeString(scrape, exposition);
    Process process =
        new ProcessBuilder(promtool().toString(), "check", "metrics")
            .redirectInput(scrape.toFile())
            .redirectErrorStream(true)
            .start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("promtool ended").isTrue();
    return new Check(process.exitValue(), output.strip());
  }

  /** promtool on the PATH, or a loud failure that says how to install it. */
  private static Path promtool() {
    for (String directory : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      Path candidate = Path.of(directory, "promtool");
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    return fail(
        "promtool is not on the PATH: install Debian's prometheus package "
            + "(bin/install-test-deps as root, or apt-get install prometheus)");
  }
}
