package dev.berth.agent.fleet;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.reconciler.rollout.FleetObserver.FleetUnavailable;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One Prometheus server's instant-query API ({@code POST /api/v1/query}): the one place where HTTP,
 * timeouts and the answer's JSON turn into samples or a {@link FleetUnavailable} with a one-line
 * reason. Credentials in the URL ({@code https://user:password@host}) are sent as basic
 * authentication and never appear in a message.
 */
final class PrometheusApi {
  /** The fleet's state of thousands of hosts is well under this; more is not an answer to us. */
  static final int MAX_RESPONSE_BYTES = 4 * 1024 * 1024;

  private static final ObjectMapper JSON = new ObjectMapper();

  /** One series of an instant vector: its labels and its value. */
  record Sample(Map<String, String> labels, double value) {
    Sample {
      labels = Map.copyOf(labels);
    }
  }

  private final URI endpoint;
  private final String shown;
  private final Optional<String> authorization;
  private final Duration timeout;
  private final HttpClient http;

  /**
   * {@code url} is the server's base URL (http or https, with a path prefix if it has one).
   *
   * @throws IllegalArgumentException for a URL that is none of those
   */
  PrometheusApi(URI url, Duration timeout, HttpClient http) {
    String scheme =
        url.getScheme() == null ? "" : url.getScheme().toLowerCase(java.util.Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https") || url.getHost() == null) {
      throw new IllegalArgumentException(
          "not an http:// or https:// URL of a Prometheus server: " + redacted(url));
    }
    if (url.getRawQuery() != null || url.getRawFragment() != null) {
      throw new IllegalArgumentException(
          "a Prometheus URL has no query or fragment: " + redacted(url));
    }
    String path = url.getRawPath() == null ? "" : url.getRawPath().replaceAll("/+$", "");
    try {
      this.endpoint =
          new URI(
              scheme
                  + "://"
                  + url.getRawAuthority().replaceFirst("^.*@", "")
                  + path
                  + "/api/v1/query");
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("not a URL of a Prometheus server: " + redacted(url));
    }
    this.shown = redacted(url);
    this.authorization =
        Optional.ofNullable(url.getUserInfo())
            .map(
                user ->
                    "Basic "
                        + Base64.getEncoder()
                            .encodeToString(user.getBytes(StandardCharsets.UTF_8)));
    this.timeout = timeout;
    this.http = http;
  }

  /** The URL as messages show it: without user information, query or fragment. */
  static String redacted(URI url) {
    String host = url.getHost() == null ? "?" : url.getHost();
    return (url.getScheme() == null ? "" : url.getScheme() + "://")
        + host
        + (url.getPort() < 0 ? "" : ":" + url.getPort())
        + (url.getRawPath() == null ? "" : url.getRawPath());
  }

  /** A failure to read what Prometheus answered, with where it came from. */
  FleetUnavailable unreadable(FleetUnavailable reason) {
    return unavailable("answered " + reason.getMessage());
  }

  /** The instant vector {@code promql} evaluates to now; one HTTP request. */
  List<Sample> query(String promql) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(endpoint)
            .timeout(timeout)
            .header("Accept", "application/json")
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    "query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)));
    authorization.ifPresent(value -> request.header("Authorization", value));
    CompletableFuture<HttpResponse<byte[]>> call =
        http.sendAsync(request.build(), info -> new CappedBody(MAX_RESPONSE_BYTES));
    HttpResponse<byte[]> response;
    try {
      response = call.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      call.cancel(true);
      throw unavailable("did not answer within " + seconds(timeout));
    } catch (InterruptedException e) {
      call.cancel(true);
      Thread.currentThread().interrupt();
      throw unavailable("the query was interrupted");
    } catch (ExecutionException e) {
      throw unavailable(failure(e.getCause()));
    }
    if (response.statusCode() != 200) {
      throw unavailable(
          "answered HTTP "
              + response.statusCode()
              + errorOf(response.body()).map(": "::concat).orElse(""));
    }
    try {
      return samples(response.body());
    } catch (FleetUnavailable e) {
      throw unavailable("answered " + e.getMessage());
    }
  }

  /**
   * The samples of an instant-vector answer in the API's shape ({@code
   * {"status":"success","data":{"resultType":"vector","result":[{"metric":{...},"value":[t,"v"]}]}}}).
   */
  static List<Sample> samples(byte[] body) {
    JsonNode root;
    try {
      root = JSON.readTree(body);
    } catch (JsonProcessingException e) {
      throw new FleetUnavailable("malformed JSON: " + oneLine(e.getOriginalMessage()));
    } catch (IOException e) {
      throw new FleetUnavailable("malformed JSON: " + oneLine(e.getMessage()));
    }
    if (root == null || !root.isObject()) {
      throw new FleetUnavailable("not a JSON object");
    }
    if (!root.path("status").asText().equals("success")) {
      throw new FleetUnavailable(
          "status "
              + oneLine(root.path("status").asText("missing"))
              + errorOf(root).map(": "::concat).orElse(""));
    }
    JsonNode data = root.path("data");
    if (!data.path("resultType").asText().equals("vector") || !data.path("result").isArray()) {
      throw new FleetUnavailable("no instant vector");
    }
    List<Sample> samples = new ArrayList<>();
    for (JsonNode series : data.path("result")) {
      samples.add(sample(series));
    }
    return samples;
  }

  private static Sample sample(JsonNode series) {
    JsonNode metric = series.path("metric");
    JsonNode value = series.path("value");
    if (!metric.isObject()
        || !value.isArray()
        || value.size() != 2
        || !value.get(0).isNumber()
        || !value.get(1).isTextual()) {
      throw new FleetUnavailable("malformed series: a series without metric labels or value");
    }
    Map<String, String> labels = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> label :
        (Iterable<Map.Entry<String, JsonNode>>) metric::fields) {
      if (!label.getValue().isTextual()) {
        throw new FleetUnavailable(
            "malformed series: label " + oneLine(label.getKey()) + " is not a string");
      }
      labels.put(label.getKey(), label.getValue().asText());
    }
    return new Sample(labels, number(value.get(1).asText()));
  }

  /** A sample value as the API writes it: a decimal, or NaN, +Inf, -Inf. */
  private static double number(String text) {
    return switch (text) {
      case "NaN" -> Double.NaN;
      case "+Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      default -> {
        try {
          yield Double.parseDouble(text);
        } catch (NumberFormatException e) {
          throw new FleetUnavailable("malformed series: sample value " + oneLine(text));
        }
      }
    };
  }

  /** The API's own error text, where the body is its JSON error object. */
  private static Optional<String> errorOf(byte[] body) {
    try {
      return errorOf(JSON.readTree(body));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static Optional<String> errorOf(JsonNode root) {
    if (root == null || !root.path("error").isTextual()) {
      return Optional.empty();
    }
    String type = root.path("errorType").asText("");
    return Optional.of(oneLine((type.isEmpty() ? "" : type + ": ") + root.path("error").asText()));
  }

  private String failure(Throwable cause) {
    if (cause instanceof CappedBody.TooLarge) {
      return "answered more than " + MAX_RESPONSE_BYTES / (1024 * 1024) + " MiB";
    }
    if (cause instanceof HttpTimeoutException) {
      return "did not answer within " + seconds(timeout);
    }
    if (cause instanceof ConnectException) {
      return "cannot be reached (connection refused or no route)";
    }
    return "cannot be read: "
        + oneLine(
            cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage());
  }

  private FleetUnavailable unavailable(String reason) {
    return new FleetUnavailable("Prometheus at " + shown + " " + reason);
  }

  private static String seconds(Duration duration) {
    return duration.toMillis() % 1000 == 0
        ? duration.toSeconds() + " s"
        : duration.toMillis() + " ms";
  }

  /** Text from the server or a library, made one line of bounded length. */
  private static String oneLine(String text) {
    String line = text == null ? "" : text.replaceAll("\\s+", " ").strip();
    return line.length() > 200 ? line.substring(0, 197) + "..." : line;
  }
}
