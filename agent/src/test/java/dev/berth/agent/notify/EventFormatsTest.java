package dev.berth.agent.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.agent.config.AgentConfig.Notification.Kind;
import dev.berth.agent.events.AgentEvent;
import dev.berth.agent.events.EventType;
import java.net.URI;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class EventFormatsTest {
  private static final String REVISION = "0123456789abcdef0123456789abcdef01234567";
  private static final AgentEvent FAILED =
      new AgentEvent(
          7,
          Instant.parse("2026-12-02T10:00:00Z"),
          EventType.FAILED,
          "web",
          REVISION,
          "restart: unit <web> failed & stopped");
  private final EventFormats formats = new EventFormats("host-a");
  private final ObjectMapper json = new ObjectMapper();

  private JsonNode body(Envelope envelope) throws Exception {
    return json.readTree(envelope.body());
  }

  @Test
  void genericIsTheEventDocumentWithTheHost() throws Exception {
    Envelope envelope =
        formats.render(Kind.GENERIC, URI.create("https://hooks.example/berth"), FAILED);

    assertThat(envelope.target()).hasToString("https://hooks.example/berth");
    assertThat(body(envelope))
        .isEqualTo(
            json.readTree(
                """
                {"host": "host-a", "sequence": 7, "time": "2026-12-02T10:00:00Z",
                 "type": "failed", "container": "web", "revision": "%s",
                 "message": "restart: unit <web> failed & stopped"}
                """
                    .formatted(REVISION)));
  }

  @Test
  void slackGetsOneEscapedLineOfText() throws Exception {
    Envelope envelope =
        formats.render(Kind.SLACK, URI.create("https://hooks.slack.com/services/T/B/X"), FAILED);

    assertThat(body(envelope))
        .isEqualTo(
            json.createObjectNode()
                .put(
                    "text",
                    "berth on host-a: failed web at 0123456: restart: unit &lt;web&gt; failed"
                        + " &amp; stopped"));
  }

  @Test
  void alertmanagerGetsOneAlertLabelledByHostTypeAndContainer() throws Exception {
    Envelope envelope =
        formats.render(Kind.ALERTMANAGER, URI.create("http://127.0.0.1:9093/"), FAILED);

    assertThat(envelope.target()).hasToString("http://127.0.0.1:9093/api/v2/alerts");
    assertThat(body(envelope))
        .isEqualTo(
            json.readTree(
                """
                [{"labels": {"alertname": "BerthEvent", "host": "host-a", "type": "failed",
                             "container": "web"},
                  "annotations": {"summary": "berth on host-a: failed web",
                                  "description": "restart: unit <web> failed & stopped (revision %s)",
                                  "revision": "%s"},
                  "startsAt": "2026-12-02T10:00:00Z", "endsAt": "2026-12-02T11:00:00Z"}]
                """
                    .formatted(REVISION, REVISION)));
  }

  @Test
  void anEventOfTheWholeHostHasNoContainerLabel() throws Exception {
    AgentEvent invalid =
        new AgentEvent(
            8, Instant.parse("2026-12-02T10:00:00Z"), EventType.INVALID, null, null, "bad");

    JsonNode alert = body(formats.render(Kind.ALERTMANAGER, URI.create("http://am:9093"), invalid));

    assertThat(alert.get(0).get("labels").has("container")).isFalse();
    assertThat(alert.get(0).get("annotations").get("description").asText()).isEqualTo("bad");
  }

  @Test
  void theAlertsPathFollowsTheBaseUrlsOwnPath() {
    assertThat(EventFormats.alertsEndpoint(URI.create("https://ops.example/alertmanager")))
        .hasToString("https://ops.example/alertmanager/api/v2/alerts");
    assertThat(EventFormats.alertsEndpoint(URI.create("http://am:9093")))
        .hasToString("http://am:9093/api/v2/alerts");
  }
}
