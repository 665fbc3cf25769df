package dev.berth.agent.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.agent.config.AgentConfig;
import dev.berth.agent.http.PrometheusAgentMetrics;
import dev.berth.agent.source.GitHttpBackend;
import dev.berth.agent.source.GitSource;
import dev.berth.agent.source.SourceSettings;
import dev.berth.agent.status.AgentStatus;
import dev.berth.agent.tls.TestCa;
import dev.berth.reconciler.apply.FakeHost;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's loop with berth's GitSource against a real HTTPS Git server ({@code git http-backend}
 * behind the JDK's HTTPS server, a certificate from a test CA, a token wanted): a wrong token
 * reaches the status, the metrics and the log as AuthenticationFailed, and the token reaches none
 * of them.
 */
class HttpsSourceAgentIT {
  private static final String TOKEN = "the-right-t0ken-2718";
  private static final String WRONG = "a-wr0ng-t0ken-3141";

  @TempDir Path temp;

  @Test
  void aWrongTokenIsAuthenticationFailedInStatusMetricsAndLogWithoutTheToken() throws Exception {
    Path served = temp.resolve("served");
    git(served.resolve("fleet"), "init", "-q", "-b", "main", ".");
    Files.writeString(served.resolve("fleet/README"), "manifests\n");
    git(served.resolve("fleet"), "add", "README");
    git(served.resolve("fleet"), "commit", "-q", "-m", "one");
    TestCa ca = TestCa.create("berth test CA");
    Path caFile = ca.writePem(temp.resolve("ca.pem"));
    Path tokenFile = Files.writeString(temp.resolve("token"), WRONG + "\n");
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    FakeHost host = new FakeHost();

    AgentStatus status;
    try (GitHttpBackend server = GitHttpBackend.serveHttps(served, ca.serverContext(), TOKEN)) {
      SourceSettings settings =
          new SourceSettings(
              server.url("fleet"),
              List.of(),
              new SourceSettings.Ref("main", null, null, null),
              "",
              Duration.ofSeconds(20),
              new SourceSettings.Auth(null, null, tokenFile),
              null,
              false,
              caFile);
      GitSource source = new GitSource(settings, temp.resolve("state/git"));
      Agent agent =
          FakeHostAgent.on(host)
              .metrics(new PrometheusAgentMetrics(registry, "test"))
              .log(new PrintStream(log, true, StandardCharsets.UTF_8))
              .create(
                  new AgentConfig(
                      "h1",
                      Map.of(),
                      settings,
                      Duration.ofMinutes(10),
                      new AgentConfig.Sync(true, true, 5, false, Duration.ofMinutes(10), false),
                      new InetSocketAddress("127.0.0.1", 0),
                      null,
                      temp.resolve("state")),
                  source);
      try {
        status = pass(agent, "startup");
      } finally {
        agent.close();
      }
      assertThat(server.refused()).isPositive();
    }

    assertThat(status.source().lastErrorReason()).isEqualTo("AuthenticationFailed");
    assertThat(status.source().lastError())
        .contains("authentication to https://127.0.0.1:")
        .endsWith("check source.auth");
    assertThat(registry.scrape())
        .contains("berth_source_fetch_total{remote=\"primary\",result=\"AuthenticationFailed\"} 1");
    assertThat(log.toString(StandardCharsets.UTF_8))
        .contains("msg=\"source failed\" reason=AuthenticationFailed");
    for (String secret : List.of(WRONG, TOKEN)) {
      assertThat(status.toString()).doesNotContain(secret);
      assertThat(registry.scrape()).doesNotContain(secret);
      assertThat(log.toString(StandardCharsets.UTF_8)).doesNotContain(secret);
    }
  }

  private static AgentStatus pass(Agent agent, String trigger) throws InterruptedException {
    int before = agent.status().passes().size();
    agent.triggerReconcile(trigger);
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (agent.status().passes().size() == before && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    return agent.status();
  }

  private static void git(Path dir, String... args) throws IOException, InterruptedException {
    Files.createDirectories(dir);
    ProcessBuilder builder =
        new ProcessBuilder(concat("git", args)).directory(dir.toFile()).inheritIO();
    builder.environment().put("GIT_CONFIG_GLOBAL", "/dev/null");
    builder.environment().put("GIT_CONFIG_NOSYSTEM", "1");
    builder.environment().put("GIT_AUTHOR_NAME", "t");
    builder.environment().put("GIT_AUTHOR_EMAIL", "t@example.org");
    builder.environment().put("GIT_COMMITTER_NAME", "t");
    builder.environment().put("GIT_COMMITTER_EMAIL", "t@example.org");
    Process process = builder.start();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as("git %s", String.join(" ", args)).isZero();
  }

  private static List<String> concat(String first, String... rest) {
    List<String> all = new java.util.ArrayList<>(List.of(first));
    all.addAll(List.of(rest));
    return all;
  }
}
