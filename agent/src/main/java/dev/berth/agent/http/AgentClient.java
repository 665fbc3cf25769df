package dev.berth.agent.http;

import com.fasterxml.jackson.core.JsonProcessingException;
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
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** The CLI's side of the agent's API: {@code berth status|reconcile|suspend|resume}. */
public final class AgentClient {
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

  private final URI base;
  private final HttpClient http;

  /**
   * @param base the agent's address, such as {@code http://127.0.0.1:9480}
   */
  public AgentClient(URI base) {
    String text = base.toString();
    this.base = URI.create(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
    this.http =
        HttpClient.newBuilder()
            // Plain HTTP/1.1: the JDK server does not speak HTTP/2, so skip the upgrade attempt.
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(CONNECT_TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER)
            .proxy(HttpClient.Builder.NO_PROXY)
            .build();
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

  /** The status as the agent writes it (JSON), for {@code --output json}. */
  public String statusJson() {
    return call(HttpRequest.newBuilder(uri("/api/v1/status")).GET(), 200);
  }

  public AgentStatus status() {
    String json = statusJson();
    try {
      return StatusJson.read(json);
    } catch (JsonProcessingException e) {
      throw new AgentClientException(
          "the berth agent at "
              + base
              + " sent a status this berth cannot read: "
              + e.getOriginalMessage(),
          e);
    }
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
    return call(
        HttpRequest.newBuilder(uri(path + query)).POST(HttpRequest.BodyPublishers.noBody()),
        path.endsWith("/reconcile") ? 202 : 200);
  }

  private URI uri(String pathAndQuery) {
    return URI.create(base + pathAndQuery);
  }

  private String call(HttpRequest.Builder request, int expected) {
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
    String body = response.body().strip();
    if (response.statusCode() != expected) {
      String line = body.lines().findFirst().orElse("").strip();
      throw new AgentClientException(
          "the berth agent answered " + response.statusCode() + (line.isEmpty() ? "" : ": " + line),
          null);
    }
    return body;
  }

  private AgentClientException notRunning(Exception e) {
    return new AgentClientException(
        "no berth agent answers at " + base + ": is berth-agent running?", e);
  }
}
