package dev.berth.agent.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.agent.daemon.PassResult;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Grafana dashboard cannot drift from the metrics: every metric it names is in a real scrape of
 * the agent's /metrics, and every panel's query, run by a real Prometheus server that scrapes two
 * agents on loopback (one in sync, one not), returns data. The agents' container resources come
 * from systemd's accounting as a fake unit source gives it (the real one is AgentE2E's).
 */
class GrafanaDashboardIT {
  private static final Path DASHBOARD =
      Path.of("..", "helm-free-deploy", "grafana", "berth-dashboard.json");
  private static final Pattern METRIC = Pattern.compile("\\bberth_[a-z0-9_]+");
  private static final String REVISION = "0123456789abcdef0123456789abcdef01234567";
  private static final String OLD_REVISION = "fedcba9876543210fedcba9876543210fedcba98";

  @TempDir Path dir;
  private final List<AutoCloseable> open = new ArrayList<>();
  private final HttpClient http = HttpClient.newHttpClient();
  private final ObjectMapper json = new ObjectMapper();
  private Process prometheus;

  @AfterEach
  void stop() throws Exception {
    if (prometheus != null) {
      prometheus.destroy();
      if (!prometheus.waitFor(30, TimeUnit.SECONDS)) {
        prometheus.destroyForcibly().waitFor();
      }
    }
    for (AutoCloseable closeable : open) {
      closeable.close();
    }
  }

  /** A host's agent: its metrics as after some passes, served over HTTP on loopback. */
  private record Host(PrometheusAgentMetrics metrics, AgentHttpServer server) {
    String target() {
      return "127.0.0.1:" + server.address().getPort();
    }
  }

  private Host host(UnitAccounting systemd) throws Exception {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    PrometheusAgentMetrics metrics = new PrometheusAgentMetrics(registry, "0.1.0");
    metrics.readResourcesWith(systemd);
    AgentHttpServer server =
        new AgentHttpServer(AgentHttpServerIT.ANY_LOOPBACK_PORT, new FakeControl(), registry, null);
    server.start();
    open.add(server);
    open.add(metrics);
    return new Host(metrics, server);
  }

  /**
   * systemd's accounting of a running busybox container's unit, growing with each read so that
   * rates are not all zero; UINT64_MAX for the IP traffic without {@code ipAccounting}.
   */
  private static UnitAccounting systemd(boolean ipAccounting) {
    AtomicLong reads = new AtomicLong();
    return (unit, properties) -> {
      long read = reads.incrementAndGet();
      long traffic = ipAccounting ? 1500 * read : -1L;
      return Map.of(
          "MemoryCurrent",
          3L << 20,
          "CPUUsageNSec",
          20_000_000L * read,
          "TasksCurrent",
          2L,
          "IPAccounting",
          ipAccounting ? 1L : 0L,
          "IPIngressBytes",
          traffic,
          "IPEgressBytes",
          traffic,
          "IPIngressPackets",
          ipAccounting ? read : -1L,
          "IPEgressPackets",
          ipAccounting ? read : -1L);
    };
  }

  @Test
  void everyPanelQueriesMetricsTheAgentExportsAndGetsData() throws Exception {
    JsonNode dashboard = json.readTree(DASHBOARD.toFile());
    Map<String, String> queries = queries(dashboard);
    assertThat(queries).hasSizeGreaterThanOrEqualTo(15);

    Host inSync = host(systemd(true));
    inSync.metrics().sourceRevision(REVISION);
    inSync.metrics().fetch("success");
    inSync
        .metrics()
        .containers(
            List.of(
                PrometheusAgentMetricsTest.container("web", "Running", REVISION, false),
                PrometheusAgentMetricsTest.container("db", "Running", REVISION, false)),
            REVISION);
    inSync.metrics().host("h1", Map.of("tier", "canary"));
    inSync.metrics().wave("canary");
    inSync.metrics().appliedRevision(REVISION, java.util.Optional.empty(), Map.of("ready", 2));
    inSync.metrics().rolloutHeld(java.util.Optional.empty());
    inSync.metrics().gateQuery("ok", Duration.ofMillis(20));
    Host behind = host(systemd(false));
    behind.metrics().sourceRevision(REVISION);
    behind.metrics().fetch("success");
    behind.metrics().fetch("SourceUnreachable");
    behind
        .metrics()
        .containers(
            List.of(
                PrometheusAgentMetricsTest.container("web", "Running", OLD_REVISION, true),
                PrometheusAgentMetricsTest.container("cache", "Failed", REVISION, false)),
            REVISION);
    behind.metrics().host("h2", Map.of());
    behind.metrics().wave("rest");
    behind
        .metrics()
        .appliedRevision(OLD_REVISION, java.util.Optional.empty(), Map.of("ready", 1, "failed", 1));
    behind.metrics().rolloutHeld(java.util.Optional.of("WaitingForWave"));
    behind.metrics().gateQuery("unavailable", Duration.ofSeconds(5));
    passes(inSync, behind);

    Set<String> exported = new TreeSet<>();
    exported.addAll(sampleNames(inSync));
    exported.addAll(sampleNames(behind));
    for (Map.Entry<String, String> query : queries.entrySet()) {
      Matcher metric = METRIC.matcher(query.getValue());
      while (metric.find()) {
        assertThat(exported)
            .as("%s names %s, which the agent does not export", query.getKey(), metric.group())
            .contains(metric.group());
      }
    }

    int port = startPrometheus(inSync, behind);
    awaitScrapes(port, 2);
    passes(inSync, behind); // counters move between scrapes, so that rates are not all zero
    awaitScrapes(port, 4);
    for (Map.Entry<String, String> query : queries.entrySet()) {
      if (query.getKey().startsWith("variable ")) {
        continue; // label_values() is Grafana's, not PromQL; its metric is checked above
      }
      String promql = promql(query.getValue());
      JsonNode result = query(port, promql);
      assertThat(result.size()).as("%s returns data: %s", query.getKey(), promql).isPositive();
    }
    assertThat(value(query(port, promql(queries.get("Hosts in sync/A"))))).isEqualTo("1");
    assertThat(value(query(port, promql(queries.get("Hosts out of sync/A"))))).isEqualTo("1");
    assertThat(value(query(port, promql(queries.get("Failing containers/A"))))).isEqualTo("1");
    assertThat(value(query(port, promql(queries.get("Drifted containers/A"))))).isEqualTo("1");
    JsonNode perWave = query(port, promql(queries.get("Applied revision per wave/A")));
    List<String> waves = new ArrayList<>();
    perWave.forEach(
        series ->
            waves.add(
                series.path("metric").path("wave").asText()
                    + " "
                    + series.path("metric").path("revision").asText()
                    + " "
                    + series.path("value").path(1).asText()));
    assertThat(waves)
        .containsExactlyInAnyOrder("canary " + REVISION + " 1", "rest " + OLD_REVISION + " 1");
    JsonNode held = query(port, promql(queries.get("Held hosts by reason/A")));
    List<String> reasons = new ArrayList<>();
    held.forEach(
        series -> {
          if (!series.path("value").path(1).asText().equals("0")) {
            reasons.add(series.path("metric").path("reason").asText());
          }
        });
    assertThat(reasons).containsExactly("WaitingForWave");
    JsonNode traffic = query(port, promql(queries.get("Network per container/A")));
    List<String> withTraffic = new ArrayList<>();
    traffic.forEach(series -> withTraffic.add(series.path("metric").path("container").asText()));
    assertThat(withTraffic)
        .as("only the host with IP accounting has traffic")
        .containsExactlyInAnyOrder("web", "db");
    assertThat(query(port, promql(queries.get("Memory per container/A"))).size()).isEqualTo(4);
  }

  private static void passes(Host... hosts) {
    for (Host host : hosts) {
      host.metrics().passFinished(Duration.ofMillis(40), PassResult.SUCCESS);
      host.metrics().passFinished(Duration.ofMillis(900), PassResult.FAILED);
      host.metrics().action("start", "converged");
      host.metrics().action("restart", "failed");
    }
  }

  /** Every query of the dashboard by "panel title/refId", and its variables' definitions. */
  private static Map<String, String> queries(JsonNode dashboard) {
    Map<String, String> queries = new LinkedHashMap<>();
    List<JsonNode> panels = new ArrayList<>();
    dashboard.path("panels").forEach(panels::add);
    for (int i = 0; i < panels.size(); i++) {
      JsonNode panel = panels.get(i);
      panel.path("panels").forEach(panels::add); // panels inside collapsed rows
      for (JsonNode target : panel.path("targets")) {
        queries.put(
            panel.path("title").asText() + "/" + target.path("refId").asText(),
            target.path("expr").asText());
      }
    }
    for (JsonNode variable : dashboard.path("templating").path("list")) {
      if (variable.path("type").asText().equals("query")) {
        queries.put(
            "variable " + variable.path("name").asText(),
            variable.path("query").path("query").asText());
      }
    }
    return queries;
  }

  /**
   * The query as Grafana sends it for "all hosts", without the {@code or vector(0)} that shows 0
   * instead of "No data": the query itself must find data.
   */
  private static String promql(String expr) {
    return expr.replace("$instance", ".+")
        .replace("$__rate_interval", "1m")
        .replaceAll("\\s+or vector\\(0\\)$", "");
  }

  /** Metric names of the samples in a real scrape of the host's /metrics. */
  private static Set<String> sampleNames(Host host) throws Exception {
    String body = new TestHttp(host.server().address()).get("/metrics").body();
    Set<String> names = new TreeSet<>();
    for (String line : body.split("\n")) {
      if (!line.isEmpty() && !line.startsWith("#")) {
        names.add(line.split("[{ ]", 2)[0]);
      }
    }
    assertThat(names).contains("berth_build_info", "berth_reconcile_total");
    return names;
  }

  private int startPrometheus(Host... hosts) throws Exception {
    int port;
    try (ServerSocket free = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = free.getLocalPort();
    }
    StringBuilder targets = new StringBuilder();
    for (Host host : hosts) {
      targets.append(targets.isEmpty() ? "" : ", ").append('\'').append(host.target()).append('\'');
    }
    Path config = dir.resolve("prometheus.yml");
    Files.writeString(
        config,
        """
        global:
          scrape_interval: 1s
        scrape_configs:
          - job_name: berth
            static_configs:
              - targets: [%s]
        """
            .formatted(targets));
    assertThat(Files.isExecutable(Path.of("/usr/bin/prometheus")))
        .as("prometheus is missing: apt-get install -y prometheus (bin/install-test-deps does)")
        .isTrue();
    prometheus =
        new ProcessBuilder(
                "/usr/bin/prometheus",
                "--config.file=" + config,
                "--storage.tsdb.path=" + dir.resolve("tsdb"),
                "--web.listen-address=127.0.0.1:" + port)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("prometheus.log").toFile())
            .start();
    return port;
  }

  /** Waits until Prometheus has scraped every agent at least {@code scrapes} times. */
  private void awaitScrapes(int port, int scrapes) throws Exception {
    String query = "min(count_over_time(up{job=\"berth\"}[5m])) >= " + scrapes;
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      try {
        if (query(port, query).size() > 0
            && query(port, "count(up{job=\"berth\"} == 1)")
                .path(0)
                .path("value")
                .path(1)
                .asText()
                .equals("2")) {
          return;
        }
      } catch (java.io.IOException e) {
        // not listening yet
      }
      Thread.sleep(250);
    }
    throw new AssertionError(
        "Prometheus did not scrape both agents "
            + scrapes
            + " times within 60 s:\n"
            + Files.readString(dir.resolve("prometheus.log")));
  }

  private JsonNode query(int port, String promql) throws Exception {
    URI uri =
        URI.create(
            "http://127.0.0.1:"
                + port
                + "/api/v1/query?query="
                + URLEncoder.encode(promql, StandardCharsets.UTF_8));
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
            HttpResponse.BodyHandlers.ofString());
    JsonNode body = json.readTree(response.body());
    assertThat(body.path("status").asText())
        .as(promql + ": " + response.body())
        .isEqualTo("success");
    return body.path("data").path("result");
  }

  private static String value(JsonNode result) {
    assertThat(result.size()).isEqualTo(1);
    return result.path(0).path("value").path(1).asText();
  }
}
