package dev.berth.agent.notify;

import static dev.berth.agent.notify.CountingMetrics.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.agent.config.AgentConfig.Notification;
import dev.berth.agent.config.AgentConfig.Notification.Kind;
import dev.berth.agent.events.AgentEvent;
import dev.berth.agent.events.EventType;
import dev.berth.agent.notify.NotificationMetrics.Result;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The alertmanager kind against Debian's real Alertmanager on loopback: what berth sends is an
 * alert that Alertmanager accepts and lists. A missing binary fails the test; it never skips.
 */
class AlertmanagerIT {
  private static final Path BINARY = Path.of("/usr/bin/prometheus-alertmanager");

  @TempDir Path tmp;
  private Process alertmanager;
  private URI base;
  private final HttpClient http = HttpClient.newHttpClient();
  private final ObjectMapper json = new ObjectMapper();
  private Notifier notifier;

  @BeforeEach
  void start() throws Exception {
    if (!Files.isExecutable(BINARY)) {
      throw new AssertionError(
          "alertmanager is missing: apt-get install -y prometheus-alertmanager"
              + " (bin/install-test-deps does)");
    }
    int port;
    try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = free.getLocalPort();
    }
    Path config = tmp.resolve("alertmanager.yml");
    Files.writeString(
        config,
        """
        route:
          receiver: nowhere
        receivers:
          - name: nowhere
        """);
    alertmanager =
        new ProcessBuilder(
                BINARY.toString(),
                "--config.file=" + config,
                "--storage.path=" + tmp.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port,
                // No cluster: it would listen on every address, port 9094.
                "--cluster.listen-address=")
            .redirectErrorStream(true)
            .redirectOutput(tmp.resolve("alertmanager.log").toFile())
            .start();
    base = URI.create("http://127.0.0.1:" + port);
    await("alertmanager is ready (its log: " + tmp.resolve("alertmanager.log") + ")", this::ready);
  }

  @AfterEach
  void stop() throws Exception {
    if (notifier != null) {
      notifier.close();
    }
    if (alertmanager != null) {
      alertmanager.destroy();
      if (!alertmanager.waitFor(10, TimeUnit.SECONDS)) {
        alertmanager.destroyForcibly();
      }
    }
  }

  private boolean ready() {
    if (!alertmanager.isAlive()) {
      throw new AssertionError("alertmanager exited: " + log());
    }
    try {
      return get("/-/ready").statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private String log() {
    try {
      return Files.readString(tmp.resolve("alertmanager.log"));
    } catch (IOException e) {
      return e.toString();
    }
  }

  private HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(base.resolve(path)).build(),
        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }

  private JsonNode berthAlerts() {
    try {
      return json.readTree(get("/api/v2/alerts?filter=alertname%3D%22BerthEvent%22").body());
    } catch (IOException e) {
      throw new AssertionError(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  @Test
  void alertmanagerListsTheAlertBerthSent() throws Exception {
    notifier =
        new Notifier(
            "host-a",
            List.of(
                new Notification(
                    "am", base, Kind.ALERTMANAGER, null, Set.of(EventType.ROLLED_BACK))),
            Map.of("am", "signed anyway".getBytes(StandardCharsets.UTF_8)),
            new CountingMetrics(),
            RetryPolicy.DEFAULT,
            10);
    notifier.start();
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);

    notifier.accept(
        new AgentEvent(
            5,
            now,
            EventType.ROLLED_BACK,
            "web",
            "0123456789abcdef0123456789abcdef01234567",
            "rolled back to generation 1 in 2.0 s: started it"));

    await("alertmanager lists the alert", () -> berthAlerts().size() == 1);
    JsonNode alert = berthAlerts().get(0);
    assertThat(alert.get("labels"))
        .isEqualTo(
            json.readTree(
                """
                {"alertname": "BerthEvent", "host": "host-a", "type": "rolledBack",
                 "container": "web"}
                """));
    assertThat(alert.get("annotations").get("summary").asText())
        .isEqualTo("berth on host-a: rolledBack web");
    assertThat(alert.get("annotations").get("description").asText())
        .isEqualTo(
            "rolled back to generation 1 in 2.0 s: started it (revision"
                + " 0123456789abcdef0123456789abcdef01234567)");
    assertThat(Instant.parse(alert.get("startsAt").asText())).isEqualTo(now);
    assertThat(Instant.parse(alert.get("endsAt").asText()))
        .isEqualTo(now.plus(EventFormats.ALERT_LASTS));
    assertThat(alert.get("status").get("state").asText()).isEqualTo("active");
  }

  @Test
  void eventsOfOtherTypesAreNotSentToIt() throws Exception {
    CountingMetrics metrics = new CountingMetrics();
    notifier =
        new Notifier(
            "host-a",
            List.of(new Notification("am", base, Kind.ALERTMANAGER, null, Set.of(EventType.HELD))),
            Map.of(),
            metrics,
            RetryPolicy.DEFAULT,
            10);
    notifier.start();

    notifier.accept(
        new AgentEvent(1, Instant.now(), EventType.APPLIED, null, "c1", "revision applied"));
    notifier.accept(
        new AgentEvent(2, Instant.now(), EventType.HELD, null, "c1", "WaitingForWave: canary"));

    await("the held event is sent", () -> metrics.count("am", Result.SENT) == 1);
    JsonNode alerts = berthAlerts();
    assertThat(alerts).hasSize(1);
    assertThat(alerts.get(0).get("labels").get("type").asText()).isEqualTo("held");
    assertThat(alerts.get(0).get("labels").has("container")).isFalse();
  }
}
