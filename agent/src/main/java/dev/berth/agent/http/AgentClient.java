package dev.berth.agent.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.berth.agent.events.AgentEvent;
import dev.berth.agent.events.EventJournal;
import dev.berth.agent.status.AgentStatus;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.AsynchronousCloseException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * The CLI's side of the agent's API: {@code berth status|reconcile|suspend|resume}, over the
 * agent's unix socket or, for remote tooling, over TCP with a bearer token.
 */
public final class AgentClient {
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

  private final URI base;
  private final String bearer;
  private final HttpClient http;
  private final UnixSocketHttp unix;
  private final Path socket;

  /**
   * @param base the agent's address, such as {@code http://127.0.0.1:9480}
   */
  public AgentClient(URI base) {
    this(base, null);
  }

  /**
   * Over TCP, presenting {@code bearerToken} (null: none), which the agent needs for changes.
   *
   * @param base the agent's address, such as {@code http://127.0.0.1:9480}
   */
  public AgentClient(URI base, String bearerToken) {
    String text = base.toString();
    this.base = URI.create(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
    this.bearer = bearerToken;
    this.unix = null;
    this.socket = null;
    this.http =
        HttpClient.newBuilder()
            // Plain HTTP/1.1: the JDK server does not speak HTTP/2, so skip the upgrade attempt.
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(CONNECT_TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER)
            .proxy(HttpClient.Builder.NO_PROXY)
            .build();
  }

  private AgentClient(Path socket) {
    this.base = null;
    this.bearer = null;
    this.http = null;
    this.socket = socket;
    this.unix = new UnixSocketHttp(socket, REQUEST_TIMEOUT);
  }

  /** Over the agent's unix socket, where the agent knows the caller from the kernel. */
  public static AgentClient overSocket(Path socket) {
    return new AgentClient(socket);
  }

  /** A client for the agent listening on {@code listen}; a wildcard address means loopback. */
  public static AgentClient forAddress(InetSocketAddress listen) {
    InetAddress address = listen.getAddress();
    if (address == null || address.isAnyLocalAddress()) {
      address = InetAddress.getLoopbackAddress();
    }
    String host = address.getHostAddress();
    if (address instanceof Inet6Address) {
      host = "[" + host.replaceFirst("%.*$", "") + "]";
    }
    return new AgentClient(URI.create("http://" + host + ":" + listen.getPort()));
  }

  public URI base() {
    return base;
  }

  /** Where the agent is reached: its socket or its URL, as messages name it. */
  private String where() {
    return socket != null ? socket.toString() : base.toString();
  }

  /** The status as the agent writes it (JSON), for {@code --output json}. */
  public String statusJson() {
    return call("GET", "/api/v1/status", 200);
  }

  public AgentStatus status() {
    return status(statusJson());
  }

  /** The status document {@code json}, as {@link #statusJson} answered it, read. */
  public AgentStatus status(String json) {
    try {
      return StatusJson.read(json);
    } catch (JsonProcessingException e) {
      throw new AgentClientException(
          "the berth agent at "
              + where()
              + " sent a status this berth cannot read: "
              + e.getOriginalMessage(),
          e);
    }
  }

  /** The events above sequence {@code after} as the agent writes them (JSON). */
  public String eventsJson(long after) {
    return call("GET", "/api/v1/events" + (after > 0 ? "?after=" + after : ""), 200);
  }

  public EventJournal.Page events(long after) {
    String json = eventsJson(after);
    try {
      return StatusJson.readEvents(json);
    } catch (JsonProcessingException e) {
      throw new AgentClientException(
          "the berth agent at "
              + where()
              + " sent events this berth cannot read: "
              + e.getOriginalMessage(),
          e);
    }
  }

  /** One event as one line of JSON. */
  public static String jsonLine(AgentEvent event) {
    return StatusJson.line(event);
  }

  /** Asks for a pass now; returns the agent's answer. */
  public String reconcile() {
    return post("/api/v1/reconcile", null);
  }

  /** Suspends the agent ({@code container} null) or one container; returns the agent's answer. */
  public String suspend(String container) {
    return post("/api/v1/suspend", container);
  }

  public String resume(String container) {
    return post("/api/v1/resume", container);
  }

  private String post(String path, String container) {
    String query =
        container == null
            ? ""
            : "?container=" + URLEncoder.encode(container, StandardCharsets.UTF_8);
    return call("POST", path + query, path.endsWith("/reconcile") ? 202 : 200);
  }

  private String call(String method, String pathAndQuery, int expected) {
    UnixSocketHttp.Response response =
        unix != null ? overSocket(method, pathAndQuery) : overTcp(method, pathAndQuery);
    String body = response.body().strip();
    if (response.status() != expected) {
      String line = body.lines().findFirst().orElse("").strip();
      // A refusal says who may, and why: it is the whole message.
      if (response.status() == 403 && !line.isEmpty()) {
        throw new AgentClientException(line, null);
      }
      throw new AgentClientException(
          "the berth agent answered " + response.status() + (line.isEmpty() ? "" : ": " + line),
          null);
    }
    return body;
  }

  private UnixSocketHttp.Response overSocket(String method, String pathAndQuery) {
    try {
      return unix.exchange(method, pathAndQuery);
    } catch (AsynchronousCloseException e) {
      throw new AgentClientException(
          "the berth agent at "
              + socket
              + " did not answer within "
              + REQUEST_TIMEOUT.toSeconds()
              + "s",
          e);
    } catch (IOException e) {
      String reason = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
      if (reason.contains("permission denied")) {
        throw new AgentClientException(
            "cannot connect to "
                + socket
                + ": permission denied (root and the agent's http.adminGroup may; from"
                + " elsewhere use --agent URL --token-file FILE)",
            e);
      }
      if (reason.contains("no such file") || reason.contains("connection refused")) {
        throw new AgentClientException(
            "no berth agent answers at " + socket + ": is berth-agent running?", e);
      }
      throw new AgentClientException(
          "cannot talk to the berth agent at " + socket + ": " + e.getMessage(), e);
    }
  }

  private UnixSocketHttp.Response overTcp(String method, String pathAndQuery) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base + pathAndQuery))
            .method(method, HttpRequest.BodyPublishers.noBody());
    if (bearer != null) {
      request.header("Authorization", "Bearer " + bearer);
    }
    HttpResponse<String> response;
    try {
      response =
          http.send(
              request.timeout(REQUEST_TIMEOUT).build(),
              HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (HttpConnectTimeoutException | ConnectException e) {
      throw notRunning(e);
    } catch (HttpTimeoutException e) {
      throw new AgentClientException(
          "the berth agent at "
              + base
              + " did not answer within "
              + REQUEST_TIMEOUT.toSeconds()
              + "s",
          e);
    } catch (IOException e) {
      // The JDK wraps a refused connection in a plain IOException on some paths.
      if (e.getCause() instanceof ConnectException) {
        throw notRunning(e);
      }
      throw new AgentClientException(
          "cannot talk to the berth agent at " + base + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AgentClientException("interrupted while calling the berth agent", e);
    }
    return new UnixSocketHttp.Response(response.statusCode(), response.body());
  }

  private AgentClientException notRunning(Exception e) {
    return new AgentClientException(
        "no berth agent answers at " + base + ": is berth-agent running?", e);
  }
}
