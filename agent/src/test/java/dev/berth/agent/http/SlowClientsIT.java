package dev.berth.agent.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The probe's finding: four clients trickling their headers a byte at a time held every thread of
 * the old server, and /metrics did not answer. Twenty of them now hold no thread, and the request
 * deadline closes them.
 */
class SlowClientsIT {
  private static final int CLIENTS = 20;
  private static final Duration DEADLINE = Duration.ofSeconds(2);

  @TempDir Path tmp;
  private final FakeControl control = new FakeControl();
  private AgentHttpServer server;
  private final List<Socket> slow = new ArrayList<>();

  @AfterEach
  void stop() throws IOException {
    for (Socket socket : slow) {
      socket.close();
    }
    server.stop();
  }

  @Test
  void twentyClientsTricklingHeadersBlockNeitherMetricsNorTheApi() throws Exception {
    server =
        new AgentHttpServer(
            new HttpSettings(
                AgentHttpServerIT.ANY_LOOPBACK_PORT,
                tmp.resolve("agent.sock"),
                null,
                null,
                false,
                null,
                null),
            control,
            new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
            new AgentHttpServer.Limits(1024, 2, Duration.ofMinutes(1), DEADLINE));
    server.start();
    for (int i = 0; i < CLIENTS; i++) {
      Socket socket = new Socket(server.address().getAddress(), server.address().getPort());
      socket
          .getOutputStream()
          .write(
              "GET /metrics HTTP/1.1\r\nHost: x\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII));
      slow.add(socket);
    }
    // A byte from each every 100 ms: never idle, never done.
    Thread trickle =
        new Thread(
            () -> {
              long end = System.nanoTime() + Duration.ofSeconds(12).toNanos();
              while (System.nanoTime() < end) {
                for (Socket socket : slow) {
                  try {
                    OutputStream out = socket.getOutputStream();
                    out.write('a');
                    out.flush();
                  } catch (IOException e) {
                    // closed by the server: what the deadline is for
                  }
                }
                try {
                  Thread.sleep(100);
                } catch (InterruptedException e) {
                  return;
                }
              }
            },
            "trickle");
    trickle.setDaemon(true);
    trickle.start();
    Thread.sleep(300);

    TestHttp http = new TestHttp(server.address());
    assertThat(http.get("/metrics").statusCode()).isEqualTo(200);
    assertThat(http.get("/healthz").statusCode()).isEqualTo(200);
    assertThat(
            TestHttp.overSocket(
                    server.socket(),
                    "POST /api/v1/reconcile HTTP/1.1\nHost: x\nContent-Length: 0\n"
                        + "Connection: close\n\n")
                .status())
        .isEqualTo(202);

    // Within three periods of the deadline every trickling client has been cut off.
    for (Socket socket : slow) {
      socket.setSoTimeout((int) DEADLINE.multipliedBy(4).toMillis());
      assertThat(closedByServer(socket)).isTrue();
    }
    trickle.interrupt();
  }

  /** Whether the server ended the connection (end of stream or reset) before the read timeout. */
  private static boolean closedByServer(Socket socket) throws IOException {
    InputStream in = socket.getInputStream();
    try {
      while (true) {
        if (in.read() == -1) {
          return true;
        }
      }
    } catch (SocketException e) {
      return true; // reset
    } catch (java.net.SocketTimeoutException e) {
      return false;
    }
  }
}
