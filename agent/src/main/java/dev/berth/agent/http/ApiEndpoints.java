package dev.berth.agent.http;

import dev.berth.agent.daemon.AgentControl;
import dev.berth.agent.status.AgentStatus;
import dev.berth.reconciler.validate.Names;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Metrics, probes, status, events, the status page and the control calls of {@code berth
 * reconcile|suspend|resume}.
 */
final class ApiEndpoints {
  /** Prometheus text format 0.0.4: what every Prometheus and promtool reads. */
  static final String METRICS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private static final int MAX_DNS_LABEL = 63;

  private final AgentControl control;
  private final PrometheusMeterRegistry registry;
  private final TokenBucket reconcileLimit;
  private final StatusPage page = new StatusPage(Clock.systemUTC());

  ApiEndpoints(AgentControl control, PrometheusMeterRegistry registry, TokenBucket reconcileLimit) {
    this.control = control;
    this.registry = registry;
    this.reconcileLimit = reconcileLimit;
  }

  /**
   * Always the 0.0.4 text format, whatever the Accept header asks: OpenMetrics would add {@code
   * _created} series and rename the info families, and nothing here needs it.
   */
  Reply metrics(Request request) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(16 * 1024);
    try {
      registry.scrape(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new Reply(200, METRICS_CONTENT_TYPE, out.toByteArray(), Map.of());
  }

  Reply health(Request request) {
    return control
        .health()
        .stalled()
        .map(why -> Reply.text(503, "unhealthy: " + why))
        .orElse(Reply.text(200, "ok"));
  }

  Reply ready(Request request) {
    return control.health().ready()
        ? Reply.text(200, "ready")
        : Reply.text(503, "not ready: the first reconcile pass has not ended");
  }

  Reply status(Request request) {
    AgentStatus status = control.status();
    return status == null
        ? Reply.text(503, "no status yet: the agent is starting")
        : Reply.json(StatusJson.write(status));
  }

  /** The events above {@code after=SEQ} (default 0: every event kept), oldest first. */
  Reply events(Request request) {
    return Reply.json(StatusJson.write(control.events(after(request))));
  }

  /** The status page of a person's browser: the status and the events kept, as HTML. */
  Reply ui(Request request) {
    noParameters(request);
    return page.answer(control.status(), control.events(0));
  }

  private static long after(Request request) {
    Map<String, List<String>> query = request.query();
    for (String name : query.keySet()) {
      if (!name.equals("after")) {
        throw new Request.BadRequest("unknown parameter: " + name + " (only after=SEQUENCE)");
      }
    }
    List<String> values = query.getOrDefault("after", List.of());
    if (values.isEmpty()) {
      return 0;
    }
    if (values.size() > 1) {
      throw new Request.BadRequest("give after=SEQUENCE once");
    }
    String value = values.get(0);
    if (!value.matches("\\d{1,18}")) {
      throw new Request.BadRequest(
          "after=" + oneLine(value) + ": give the sequence number of an event (0 or more)");
    }
    return Long.parseLong(value);
  }

  Reply reconcile(Request request) {
    Reply refused = refuseCrossOrigin(request);
    if (refused != null) {
      return refused;
    }
    noParameters(request);
    Duration wait = reconcileLimit.tryTake();
    if (!wait.isZero()) {
      return tooManyRequests(wait);
    }
    control.triggerReconcile("api");
    return Reply.text(202, "reconcile triggered");
  }

  Reply suspend(Request request) {
    return suspendOrResume(request, control::suspend, "suspended");
  }

  Reply resume(Request request) {
    return suspendOrResume(request, control::resume, "resumed");
  }

  private Reply suspendOrResume(Request request, Consumer<String> call, String done) {
    Reply refused = refuseCrossOrigin(request);
    if (refused != null) {
      return refused;
    }
    String container = container(request);
    try {
      call.accept(container);
    } catch (IllegalArgumentException e) {
      // The agent's word on a name it does not know, e.g. a container that is not managed here.
      return Reply.text(404, oneLine(e.getMessage()));
    }
    return Reply.text(200, done + (container == null ? " the agent" : " container " + container));
  }

  /** The optional {@code container} parameter, a machine name (a lowercase DNS label). */
  private static String container(Request request) {
    Map<String, List<String>> query = request.query();
    for (String name : query.keySet()) {
      if (!name.equals("container")) {
        throw new Request.BadRequest("unknown parameter: " + name + " (only container=NAME)");
      }
    }
    List<String> values = query.get("container");
    if (values == null) {
      return null;
    }
    if (values.size() > 1) {
      throw new Request.BadRequest("give container=NAME once");
    }
    String name = values.get(0);
    if (!Names.isDnsLabel(name) || name.length() > MAX_DNS_LABEL) {
      throw new Request.BadRequest(
          "invalid container name: a machine name is a lowercase DNS label (a-z, 0-9, '-')");
    }
    return name;
  }

  private static void noParameters(Request request) {
    if (!request.query().isEmpty()) {
      throw new Request.BadRequest("this endpoint takes no parameters");
    }
  }

  /**
   * The API has no credentials on loopback, so a web page in a browser on the host must not drive
   * it: browsers mark cross-site requests with Origin, the CLI never sends one.
   */
  private static Reply refuseCrossOrigin(Request request) {
    return request.header("Origin") == null
        ? null
        : Reply.text(403, "requests from web pages are refused: use the berth CLI");
  }

  static Reply tooManyRequests(Duration wait) {
    long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
    return Reply.text(429, "too many triggers: retry in " + seconds + "s")
        .withHeader("Retry-After", Long.toString(seconds));
  }

  private static String oneLine(String message) {
    if (message == null || message.isBlank()) {
      return "no such container";
    }
    String line = message.lines().findFirst().orElse("").strip();
    return line.length() > 200 ? line.substring(0, 200) + "..." : line;
  }
}
