package dev.berth.agent.probes;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.berth.reconciler.host.HealthProbes.ProbeResult;
import dev.berth.reconciler.host.HealthProbes.ProbeTarget;
import dev.berth.reconciler.host.RuntimeFailure;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The probes against real servers on loopback: the JDK's HTTP server answering 200, 302 and 500, a
 * socket that accepts and never answers, and a port nothing listens on. The machine "web" has the
 * address 127.0.0.1, as machined would report it.
 */
class NetworkProbesIT {
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
  private static final ProbeTarget WEB = new ProbeTarget("web", false);
  private static final Duration TIMEOUT = Duration.ofMillis(400);

  private final List<String> looked = new CopyOnWriteArrayList<>();
  private final NetworkProbes probes =
      new NetworkProbes(
          machine -> {
            looked.add(machine);
            return List.of(LOOPBACK);
          });
  private final List<AutoCloseable> servers = new ArrayList<>();

  @AfterEach
  void stopServers() throws Exception {
    for (AutoCloseable server : servers) {
      server.close();
    }
  }

  private int http(int status) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(LOOPBACK, 0), 0);
    server.createContext(
        "/",
        exchange -> {
          if (status == 302) {
            exchange.getResponseHeaders().add("Location", "http://192.0.2.1/elsewhere");
          }
          exchange.sendResponseHeaders(status, -1);
          exchange.close();
        });
    server.start();
    servers.add(() -> server.stop(0));
    return server.getAddress().getPort();
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, LOOPBACK)) {
      return socket.getLocalPort();
    }
  }

  @Test
  void aTwoHundredIsUpAndNamesTheAddressAndPath() throws Exception {
    int port = http(200);

    ProbeResult result = probes.http(WEB, port, "/healthz", TIMEOUT);

    assertThat(result.healthy()).isTrue();
    assertThat(result.detail()).isEqualTo("HTTP 200 from 127.0.0.1:" + port + "/healthz");
    assertThat(looked).containsExactly("web");
  }

  @Test
  void aRedirectIsUpAndIsNotFollowed() throws Exception {
    int port = http(302);

    ProbeResult result = probes.http(WEB, port, "/", TIMEOUT);

    assertThat(result).isEqualTo(ProbeResult.up("HTTP 302 from 127.0.0.1:" + port + "/"));
  }

  @Test
  void aFiveHundredIsDown() throws Exception {
    int port = http(500);

    ProbeResult result = probes.http(WEB, port, "healthz", TIMEOUT);

    assertThat(result).isEqualTo(ProbeResult.down("HTTP 500 from 127.0.0.1:" + port + "/healthz"));
  }

  @Test
  void aClosedPortIsRefusedForHttpAndTcp() throws Exception {
    int port = freePort();

    assertThat(probes.http(WEB, port, "/", TIMEOUT))
        .isEqualTo(ProbeResult.down("connection refused to 127.0.0.1:" + port));
    assertThat(probes.tcp(WEB, port, TIMEOUT))
        .isEqualTo(ProbeResult.down("connection refused to 127.0.0.1:" + port));
  }

  @Test
  void aServerThatAcceptsAndNeverAnswersTimesOutWithinTheTimeout() throws Exception {
    ServerSocket silent = new ServerSocket(0, 50, LOOPBACK);
    servers.add(silent);
    List<Socket> accepted = new CopyOnWriteArrayList<>();
    Thread acceptor =
        new Thread(
            () -> {
              try {
                while (true) {
                  accepted.add(silent.accept());
                }
              } catch (IOException closed) {
                // the test is over
              }
            });
    acceptor.start();
    servers.add(
        () -> {
          for (Socket socket : accepted) {
            socket.close();
          }
        });
    int port = silent.getLocalPort();

    long start = System.nanoTime();
    ProbeResult result = probes.http(WEB, port, "/slow", TIMEOUT);
    Duration took = Duration.ofNanos(System.nanoTime() - start);

    assertThat(result)
        .isEqualTo(ProbeResult.down("no answer from 127.0.0.1:" + port + "/slow within 400 ms"));
    assertThat(took).isBetween(TIMEOUT.minusMillis(50), Duration.ofSeconds(3));
    assertThat(probes.tcp(WEB, port, TIMEOUT))
        .isEqualTo(ProbeResult.up("TCP connection accepted by 127.0.0.1:" + port));
  }

  @Test
  void aSharedHostNetworkIsProbedOnLoopbackWithoutAskingMachined() throws Exception {
    NetworkProbes noMachined =
        new NetworkProbes(
            machine -> {
              throw new AssertionError("machined was asked for " + machine);
            });
    int port = http(204);

    assertThat(noMachined.http(new ProbeTarget("web", true), port, "/", TIMEOUT))
        .isEqualTo(ProbeResult.up("HTTP 204 from 127.0.0.1:" + port + "/"));
  }

  @Test
  void aMachineMachinedDoesNotKnowIsDownWithMachinedsMessage() {
    NetworkProbes gone =
        new NetworkProbes(
            machine -> {
              throw new RuntimeFailure(
                  "cannot list the addresses of " + machine + ": No machine 'web' known");
            });

    assertThat(gone.tcp(WEB, 80, TIMEOUT))
        .isEqualTo(ProbeResult.down("cannot list the addresses of web: No machine 'web' known"));
  }
}
