package dev.berth.agent.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.agent.config.AgentConfig.Notification.Kind;
import dev.berth.agent.events.AgentEvent;
import java.net.URI;
import java.time.Duration;

/**
 * The body each kind of receiver understands (docs/notifications.md): the event document, a Slack
 * message, or an Alertmanager alert.
 */
final class EventFormats {
  /**
   * How long an event's alert stays active in Alertmanager: an event has no end of its own, and the
   * same alert (host, type, container) seen again within it updates the one that fires.
   */
  static final Duration ALERT_LASTS = Duration.ofHours(1);

  static final String ALERTNAME = "BerthEvent";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final String host;

  EventFormats(String host) {
    this.host = host;
  }

  Envelope render(Kind kind, URI url, AgentEvent event) {
    return switch (kind) {
      case GENERIC -> new Envelope(url, bytes(document(event)));
      case SLACK -> new Envelope(url, bytes(JSON.createObjectNode().put("text", slackText(event))));
      case ALERTMANAGER -> new Envelope(alertsEndpoint(url), bytes(alerts(event)));
    };
  }

  /** The event as the events API writes it, with the host it happened on. */
  ObjectNode document(AgentEvent event) {
    return JSON.createObjectNode()
        .put("host", host)
        .put("sequence", event.sequence())
        .put("time", event.time().toString())
        .put("type", event.type().label())
        .put("container", event.container())
        .put("revision", event.revision())
        .put("message", event.message());
  }

  /**
   * One line; Slack's mrkdwn reads {@code &}, {@code <} and {@code >} as markup, so they are
   * escaped.
   */
  String slackText(AgentEvent event) {
    return escapeSlack(
        "berth on "
            + host
            + ": "
            + event.type().label()
            + (event.container() == null ? "" : " " + event.container())
            + (event.revision() == null ? "" : " at " + event.shortRevision())
            + ": "
            + event.message());
  }

  /** One alert, as Alertmanager's {@code POST /api/v2/alerts} takes a list of them. */
  ArrayNode alerts(AgentEvent event) {
    ObjectNode alert = JSON.createObjectNode();
    ObjectNode labels = alert.putObject("labels");
    labels.put("alertname", ALERTNAME).put("host", host).put("type", event.type().label());
    if (event.container() != null) {
      labels.put("container", event.container());
    }
    ObjectNode annotations = alert.putObject("annotations");
    annotations.put(
        "summary",
        "berth on "
            + host
            + ": "
            + event.type().label()
            + (event.container() == null ? "" : " " + event.container()));
    annotations.put(
        "description",
        event.message() + (event.revision() == null ? "" : " (revision " + event.revision() + ")"));
    if (event.revision() != null) {
      annotations.put("revision", event.revision());
    }
    alert.put("startsAt", event.time().toString());
    alert.put("endsAt", event.time().plus(ALERT_LASTS).toString());
    return JSON.createArrayNode().add(alert);
  }

  /** {@code URL/api/v2/alerts}: the base URL's path, less a final slash, and the API's. */
  static URI alertsEndpoint(URI base) {
    String path = base.getRawPath() == null ? "" : base.getRawPath();
    path = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    return base.resolve(path + "/api/v2/alerts");
  }

  private static String escapeSlack(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }

  private static byte[] bytes(Object node) {
    try {
      return JSON.writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a notification as JSON", e);
    }
  }
}
