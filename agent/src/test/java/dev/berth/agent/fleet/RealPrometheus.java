package dev.berth.agent.fleet;

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
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Debian's Prometheus server ({@code /usr/bin/prometheus}) on a free loopback port, scraping the
 * given targets every second as job {@code berth}. A missing binary fails the test; it never skips.
 */
public final class RealPrometheus implements AutoCloseable {
  private static final Path BINARY = Path.of("/usr/bin/prometheus");

  private final Path dir;
  private final Process process;
  private final int port;
  private final HttpClient http = HttpClient.newHttpClient();
  private final ObjectMapper json = new ObjectMapper();

  public RealPrometheus(Path dir, List<String> targets) throws IOException {
    if (!Files.isExecutable(BINARY)) {
      throw new AssertionError(
          "prometheus is missing: apt-get install -y prometheus (bin/install-test-deps does)");
    }
    this.dir = dir;
    try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = free.getLocalPort();
    }
    Path config = dir.resolve("prometheus.yml");
    Files.writeString(
        config,
        """
        global:
          scrape_interval: 1s
          scrape_timeout: 1s
        scrape_configs:
          - job_name: berth
            static_configs:
              - targets: [%s]
        """
            .formatted(targets.stream().map(t -> "'" + t + "'").collect(Collectors.joining(", "))));
    process =
        new ProcessBuilder(
                BINARY.toString(),
                "--config.file=" + config,
                "--storage.tsdb.path=" + dir.resolve("tsdb"),
                "--web.listen-address=127.0.0.1:" + port)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("prometheus.log").toFile())
            .start();
  }

  public URI url() {
    return URI.create("http://127.0.0.1:" + port);
  }

  /** Waits until {@code promql} returns a result that {@code done} accepts. */
  public void await(String promql, Predicate<JsonNode> done, Duration within) throws Exception {
    long deadline = System.nanoTime() + within.toNanos();
    while (System.nanoTime() < deadline) {
      try {
        if (done.test(query(promql))) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(200);
    }
    throw new AssertionError(
        "Prometheus did not answer "
            + promql
            + " as expected within "
            + within.toSeconds()
            + " s:\n"
            + Files.readString(dir.resolve("prometheus.log")));
  }

  /** Waits until {@code count(promql)} is {@code count}. */
  public void awaitCount(String promql, int count) throws Exception {
    await(
        "count(" + promql + ")",
        result -> result.path(0).path("value").path(1).asText().equals(String.valueOf(count)),
        Duration.ofSeconds(30));
  }

  private JsonNode query(String promql) throws Exception {
    URI uri =
        URI.create(
            url() + "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
            HttpResponse.BodyHandlers.ofString());
    return json.readTree(response.body()).path("data").path("result");
  }

  /** Ends the server this test started, by its process: politely, then by force. */
  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
  }
}
