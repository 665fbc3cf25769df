package dev.berth.agent.fleet;

import com.sun.net.httpserver.HttpServer;
import dev.berth.agent.http.PrometheusAgentMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * A host's agent as Prometheus scrapes it: the real {@link PrometheusAgentMetrics}, its exposition
 * served on a loopback port.
 */
public final class ScrapedAgent implements AutoCloseable {
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final PrometheusAgentMetrics metrics = new PrometheusAgentMetrics(registry, "0.1.0");
  private final HttpServer server;
  private boolean stopped;

  public ScrapedAgent() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/metrics",
        exchange -> {
          byte[] body = registry.scrape().getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4");
          exchange.sendResponseHeaders(200, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    server.start();
  }

  public PrometheusAgentMetrics metrics() {
    return metrics;
  }

  /** host:port, as a scrape config names it. */
  public String target() {
    return "127.0.0.1:" + server.getAddress().getPort();
  }

  /** The agent goes down: its port stops answering. */
  public void stop() {
    if (!stopped) {
      stopped = true;
      server.stop(0);
    }
  }

  @Override
  public void close() {
    stop();
    metrics.close();
    registry.close();
  }
}
