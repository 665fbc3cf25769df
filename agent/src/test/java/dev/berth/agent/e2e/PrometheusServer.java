package dev.berth.agent.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetAddress;
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
import java.util.concurrent.TimeUnit;

/**
 * A real Prometheus server (Debian's {@code /usr/bin/prometheus}) run on this machine for one test,
 * with its storage in a temporary directory; it ends only the process it started, by its id.
 */
public final class PrometheusServer implements AutoCloseable {
  static final Path BINARY = Path.of("/usr/bin/prometheus");
  private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

  // Only the testbeds' own network: never a proxy.
  private final HttpClient http =
      HttpClient.newBuilder()
          .proxy(HttpClient.Builder.NO_PROXY)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  private final ObjectMapper json = new ObjectMapper();
  private final Process process;
  private final String url;
  private final Path log;

  private PrometheusServer(Process process, String url, Path log) {
    this.process = process;
    this.url = url;
    this.log = log;
  }

  /** One sample of an instant query's result: its labels and its value. */
  public record Sample(Map<String, String> labels, double value) {
    public Sample {
      labels = Map.copyOf(labels);
    }
  }

  /**
   * Starts Prometheus with {@code config} (prometheus.yml) listening on {@code ip} at a free port,
   * its storage and log in {@code dir}, and waits until it is ready; fails loudly when it is not
   * installed.
   */
  public static PrometheusServer start(Path dir, String ip, String config)
      throws IOException, InterruptedException {
    if (!Files.isExecutable(BINARY)) {
      throw new IllegalStateException(
          BINARY + " is missing: apt-get install -y prometheus (bin/install-test-deps does)");
    }
    Files.createDirectories(dir);
    Path configFile = dir.resolve("prometheus.yml");
    Files.writeString(configFile, config);
    int port;
    try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getByName(ip))) {
      port = free.getLocalPort();
    }
    Path log = dir.resolve("prometheus.log");
    Process process =
        new ProcessBuilder(
                BINARY.toString(),
                "--config.file=" + configFile,
                "--storage.tsdb.path=" + dir.resolve("tsdb"),
                "--web.listen-address=" + ip + ":" + port)
            .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    PrometheusServer server = new PrometheusServer(process, "http://" + ip + ":" + port, log);
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (!server.ready()) {
      if (!process.isAlive() || System.nanoTime() > deadline) {
        server.close();
        throw new IllegalStateException(
            "Prometheus did not become ready within "
                + START_TIMEOUT.toSeconds()
                + " s; its log:\n"
                + server.log());
      }
      Thread.sleep(100);
    }
    return server;
  }

  /** Where it serves, such as {@code http://10.231.0.1:PORT}. */
  public String url() {
    return url;
  }

  public long pid() {
    return process.pid();
  }

  public boolean alive() {
    return process.isAlive();
  }

  /** Whether {@code /-/ready} answers 200. */
  public boolean ready() {
    try {
      return get("/-/ready").statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /**
   * An instant query ({@code /api/v1/query}) now: the samples of a vector, or one sample without
   * labels for a scalar. Fails with Prometheus's error for a bad query.
   */
  public List<Sample> query(String promql) throws IOException, InterruptedException {
    HttpResponse<String> response =
        get("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
    JsonNode body = json.readTree(response.body());
    if (!body.path("status").asText().equals("success")) {
      throw new IllegalStateException("Prometheus refused " + promql + ": " + response.body());
    }
    JsonNode data = body.path("data");
    List<Sample> samples = new ArrayList<>();
    switch (data.path("resultType").asText()) {
      case "vector" -> {
        for (JsonNode item : data.path("result")) {
          Map<String, String> labels = new LinkedHashMap<>();
          item.path("metric")
              .fields()
              .forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
          samples.add(new Sample(labels, value(item.path("value"))));
        }
      }
      case "scalar" -> samples.add(new Sample(Map.of(), value(data.path("result"))));
      default ->
          throw new IllegalStateException(
              promql + ": expected a vector or a scalar, got " + response.body());
    }
    return samples;
  }

  // A value is [unix time, "number"]; "NaN", "+Inf" and "-Inf" included.
  private static double value(JsonNode pair) {
    String text = pair.path(1).asText();
    return switch (text) {
      case "+Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      default -> Double.parseDouble(text);
    };
  }

  private HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(URI.create(url + path)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  public String log() {
    try {
      return Files.exists(log) ? Files.readString(log) : "";
    } catch (IOException e) {
      return "(unreadable: " + e.getMessage() + ")";
    }
  }

  /** Stops it: SIGTERM to its process, SIGKILL if it has not exited after 30 s. */
  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroy();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
      }
    }
  }
}
