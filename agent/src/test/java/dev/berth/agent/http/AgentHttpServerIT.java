package dev.berth.agent.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The server's probes, metrics, status and control API, over real HTTP on loopback. */
class AgentHttpServerIT {
  static final InetSocketAddress ANY_LOOPBACK_PORT =
      new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

  private final FakeControl control = new FakeControl();
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final PrometheusAgentMetrics metrics = new PrometheusAgentMetrics(registry, "1.2.3");
  static final String TOKEN = "api-token-for-remote-tooling";

  @TempDir Path tmp;
  private AgentHttpServer server;
  private TestHttp http;

  /**
   * Both listeners; the TCP calls carry the bearer token and the status is open over TCP, so that
   * these tests see the endpoints themselves (ApiAccessIT has the refusals).
   */
  @BeforeEach
  void start() throws IOException {
    server =
        new AgentHttpServer(
            new HttpSettings(
                ANY_LOOPBACK_PORT,
                tmp.resolve("agent.sock"),
                null,
                null,
                true,
                TOKEN.getBytes(StandardCharsets.UTF_8),
                "s3cret".getBytes(StandardCharsets.UTF_8)),
            control,
            registry,
            new AgentHttpServer.Limits(1024, 2, Duration.ofMinutes(1)));
    server.start();
    http = new TestHttp(server.address(), TOKEN);
  }

  @AfterEach
  void stop() {
    server.stop();
    metrics.close();
  }

  @Test
  void healthzAnswersOkWhileServing() throws Exception {
    HttpResponse<String> response = http.get("/healthz");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("ok\n");
    assertThat(response.headers().firstValue("Content-Type")).hasValue("text/plain; charset=utf-8");
  }

  @Test
  void healthzSaysWhenTheReconcileLoopStalled() throws Exception {
    control.stalled = "no pass for 2832 s";

    HttpResponse<String> response = http.get("/healthz");

    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(response.body()).isEqualTo("unhealthy: no pass for 2832 s\n");
  }

  @Test
  void readyzFlipsOnceTheFirstPassEnded() throws Exception {
    HttpResponse<String> before = http.get("/readyz");
    assertThat(before.statusCode()).isEqualTo(503);
    assertThat(before.body()).contains("first reconcile pass");

    control.ready = true;
    HttpResponse<String> after = http.get("/readyz");
    assertThat(after.statusCode()).isEqualTo(200);
    assertThat(after.body()).isEqualTo("ready\n");
  }

  @Test
  void statusIsTheAgentsStatusAsJson() throws Exception {
    assertThat(http.get("/api/v1/status").statusCode()).isEqualTo(503);

    control.status = StatusJsonTest.sample();
    HttpResponse<String> response = http.get("/api/v1/status");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
    assertThat(StatusJson.read(response.body())).isEqualTo(StatusJsonTest.sample());
  }

  @Test
  void metricsAreThePrometheusTextFormat() throws Exception {
    HttpResponse<String> response = http.get("/metrics");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValue("text/plain; version=0.0.4; charset=utf-8");
    assertThat(Exposition.parse(response.body()).samples())
        .containsEntry("berth_build_info{version=\"1.2.3\"}", 1.0)
        .containsKey("jvm_threads_live_threads");
  }

  @Test
  void containerSeriesComeAndGoOnTheWire() throws Exception {
    metrics.containers(
        List.of(
            PrometheusAgentMetricsTest.container("web", "Running", "r1", false),
            PrometheusAgentMetricsTest.container("db", "Running", "r1", true)),
        "r1");
    assertThat(scrape().series("berth_container_info")).hasSize(2);
    assertThat(scrape().series("berth_container_drifted"))
        .containsEntry("berth_container_drifted{container=\"db\"}", 1.0);

    metrics.containers(
        List.of(PrometheusAgentMetricsTest.container("web", "Stopped", "r2", false)), "r2");
    assertThat(scrape().series("berth_container_info"))
        .containsOnlyKeys(
            "berth_container_info{container=\"web\",phase=\"Stopped\",revision=\"r2\"}");
    assertThat(scrape().series("berth_container_drifted"))
        .containsOnlyKeys("berth_container_drifted{container=\"web\"}");
  }

  @Test
  void reconcileTriggersAPass() throws Exception {
    HttpResponse<String> response = http.post("/api/v1/reconcile");
    assertThat(response.statusCode()).isEqualTo(202);
    assertThat(response.body()).isEqualTo("reconcile triggered\n");
    assertThat(control.calls).containsExactly("reconcile:api");
  }

  @Test
  void reconcileIsRateLimited() throws Exception {
    assertThat(http.post("/api/v1/reconcile").statusCode()).isEqualTo(202);
    assertThat(http.post("/api/v1/reconcile").statusCode()).isEqualTo(202);
    HttpResponse<String> limited = http.post("/api/v1/reconcile");
    assertThat(limited.statusCode()).isEqualTo(429);
    assertThat(limited.headers().firstValue("Retry-After").map(Long::parseLong))
        .hasValueSatisfying(seconds -> assertThat(seconds).isBetween(1L, 60L));
    assertThat(control.triggers()).hasSize(2);
  }

  @Test
  void suspendAndResumeTheAgentOrOneContainer() throws Exception {
    assertThat(http.post("/api/v1/suspend").body()).isEqualTo("suspended the agent\n");
    assertThat(http.post("/api/v1/suspend?container=web").body())
        .isEqualTo("suspended container web\n");
    assertThat(http.post("/api/v1/resume?container=web").statusCode()).isEqualTo(200);
    assertThat(http.post("/api/v1/resume").body()).isEqualTo("resumed the agent\n");
    assertThat(control.calls).containsExactly("suspend:*", "suspend:web", "resume:web", "resume:*");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "container=Web",
        "container=-web",
        "container=web-",
        "container=a_b",
        "container=",
        "container=..%2Fetc",
        "container=web%0A",
        "container=web&container=db",
        "name=web",
        "container=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
      })
  void aBadContainerParameterIs400AndReachesNothing(String query) throws Exception {
    for (String path : List.of("/api/v1/suspend?", "/api/v1/resume?")) {
      HttpResponse<String> response = http.post(path + query);
      assertThat(response.statusCode()).as(path + query).isEqualTo(400);
      assertThat(response.body()).doesNotContain("Exception").endsWith("\n");
    }
    assertThat(control.calls).isEmpty();
  }

  @Test
  void aContainerTheAgentDoesNotManageIs404() throws Exception {
    HttpResponse<String> response = http.post("/api/v1/suspend?container=cache");
    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(response.body()).isEqualTo("no container cache is managed on this host\n");
  }

  @Test
  void requestsFromWebPagesAreRefused() throws Exception {
    for (String path : List.of("/api/v1/reconcile", "/api/v1/suspend", "/api/v1/resume")) {
      assertThat(http.post(path, "Origin", "https://evil.example").statusCode()).isEqualTo(403);
    }
    assertThat(control.calls).isEmpty();
  }

  @Test
  void wrongMethodsAre405WithAllow() throws Exception {
    HttpResponse<String> get = http.get("/api/v1/reconcile");
    assertThat(get.statusCode()).isEqualTo(405);
    assertThat(get.headers().firstValue("Allow")).hasValue("POST");
    assertThat(get.body()).isEqualTo("method not allowed: use POST\n");

    HttpResponse<String> post = http.post("/metrics");
    assertThat(post.statusCode()).isEqualTo(405);
    assertThat(post.headers().firstValue("Allow")).hasValue("GET");
    assertThat(http.method("DELETE", "/hooks/github").statusCode()).isEqualTo(405);
    assertThat(http.method("PUT", "/api/v1/status").statusCode()).isEqualTo(405);
    assertThat(control.calls).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"/", "/metrics/", "/api/v1", "/api/v2/status", "/hooks/bitbucket", "/x"})
  void unknownPathsAre404(String path) throws Exception {
    HttpResponse<String> response = http.get(path);
    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(response.body()).isEqualTo("not found: " + path + "\n");
  }

  @Test
  void aFailureInsideTheAgentIsA500WithoutAStackTrace() throws Exception {
    control.statusFailure = new IllegalStateException("boom at dev.berth.Secret.method");
    HttpResponse<String> response = http.get("/api/v1/status");
    assertThat(response.statusCode()).isEqualTo(500);
    assertThat(response.body()).isEqualTo("internal error: see the agent's log\n");
  }

  @Test
  void aBodyOverTheLimitIs413() throws Exception {
    assertThat(http.post("/api/v1/reconcile", new byte[1024]).statusCode()).isEqualTo(202);
    HttpResponse<String> response = http.post("/api/v1/reconcile", new byte[1025]);
    assertThat(response.statusCode()).isEqualTo(413);
    assertThat(response.body()).contains("limit is 1024 bytes");
    assertThat(control.triggers()).hasSize(1);
  }

  @Test
  void theDefaultBodyLimitIsOneMebibyte() throws Exception {
    try (AgentHttpServer defaults =
        new AgentHttpServer(ANY_LOOPBACK_PORT, control, registry, "k".getBytes())) {
      defaults.start();
      TestHttp raw = new TestHttp(defaults.address());
      // Only the head is sent: the server must answer on the declared length alone.
      assertThat(
              raw.rawStatusLine(
                  "POST /hooks/generic HTTP/1.1\nHost: 127.0.0.1\nContent-Length: "
                      + (1024 * 1024 + 1)
                      + "\n\n"))
          .startsWith("HTTP/1.1 413");
    }
    assertThat(control.calls).isEmpty();
  }

  @Test
  void stopsListening() throws Exception {
    assertThatThrownBy(server::start).isInstanceOf(IllegalStateException.class);
    server.stop();
    assertThatThrownBy(() -> http.get("/healthz")).isInstanceOf(ConnectException.class);
    server.stop();
  }

  private Exposition scrape() throws Exception {
    return Exposition.parse(http.get("/metrics").body());
  }
}
