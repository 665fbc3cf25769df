package dev.berth.agent.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.net.http.HttpResponse;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The two listeners of the real server: the socket's file and its caller check (these tests run as
 * root), and what TCP refuses without the token. The refusals of other users are in ApiAccessTest
 * (the decision) and ApiSecurityE2E (real users on a real host).
 */
class ApiAccessIT {
  /** A group every Debian host has, standing in for the operators' group. */
  private static final String GROUP = "daemon";

  @TempDir Path tmp;
  private final FakeControl control = new FakeControl();
  private AgentHttpServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop();
    }
  }

  private AgentHttpServer start(HttpSettings settings) throws IOException {
    server =
        new AgentHttpServer(
            settings, control, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    server.start();
    return server;
  }

  private HttpSettings settings(String adminGroup, String readGroup, boolean tcpStatus) {
    return new HttpSettings(
        AgentHttpServerIT.ANY_LOOPBACK_PORT,
        tmp.resolve("run/berth/agent.sock"),
        adminGroup,
        readGroup,
        tcpStatus,
        null,
        null);
  }

  private static String mode(Path path) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
  }

  private static String group(Path path) throws IOException {
    return Files.readAttributes(path, java.nio.file.attribute.PosixFileAttributes.class)
        .group()
        .getName();
  }

  @Test
  void overTcpChangesAndTheStatusAreRefusedWithoutATokenAndProbesServed() throws Exception {
    start(settings(null, null, false));
    TestHttp tcp = new TestHttp(server.address());

    for (String path : new String[] {"/api/v1/suspend", "/api/v1/resume", "/api/v1/reconcile"}) {
      HttpResponse<String> refused = tcp.post(path);
      assertThat(refused.statusCode()).as(path).isEqualTo(403);
      assertThat(refused.body())
          .startsWith("changes over TCP are refused: run the berth CLI on the host")
          .hasLineCount(1);
    }
    assertThat(tcp.get("/api/v1/status").statusCode()).isEqualTo(403);
    assertThat(tcp.get("/api/v1/events").statusCode()).isEqualTo(403);
    assertThat(tcp.get("/metrics").statusCode()).isEqualTo(200);
    assertThat(tcp.get("/healthz").statusCode()).isEqualTo(200);
    assertThat(control.calls).isEmpty();
  }

  @Test
  void tcpStatusOpensTheStatusAndNothingElse() throws Exception {
    start(settings(null, null, true));
    TestHttp tcp = new TestHttp(server.address());
    control.status = StatusJsonTest.sample();

    assertThat(tcp.get("/api/v1/status").statusCode()).isEqualTo(200);
    assertThat(tcp.get("/api/v1/events").statusCode()).isEqualTo(200);
    assertThat(tcp.post("/api/v1/suspend").statusCode()).isEqualTo(403);
    assertThat(control.calls).isEmpty();
  }

  @Test
  void rootChangesTheAgentOverTheSocket() throws Exception {
    start(settings(null, null, false));
    control.status = StatusJsonTest.sample();
    Path socket = server.socket();

    assertThat(post(socket, "/api/v1/suspend").status()).isEqualTo(200);
    assertThat(post(socket, "/api/v1/reconcile").status()).isEqualTo(202);
    assertThat(
            TestHttp.overSocket(
                    socket, "GET /api/v1/status HTTP/1.1\nHost: x\nConnection: close\n\n")
                .status())
        .isEqualTo(200);
    assertThat(control.calls).containsExactly("suspend:*", "reconcile:api");
  }

  @Test
  void aWebPageIsRefusedOnTheSocketToo() throws Exception {
    start(settings(null, null, false));
    UnixSocketHttp.Response refused =
        TestHttp.overSocket(
            server.socket(),
            "POST /api/v1/suspend HTTP/1.1\nHost: x\nOrigin: https://evil.example\n"
                + "Content-Length: 0\nConnection: close\n\n");
    assertThat(refused.status()).isEqualTo(403);
    assertThat(control.calls).isEmpty();
  }

  @Test
  void theSocketIsRootsAloneWithoutGroups() throws Exception {
    start(settings(null, null, false));
    assertThat(mode(server.socket())).isEqualTo("rw-------");
    assertThat(mode(server.socket().getParent())).isEqualTo("rwxr-xr-x");
  }

  @Test
  void theAdminGroupOwnsTheSocket() throws Exception {
    start(settings(GROUP, null, false));
    assertThat(mode(server.socket())).isEqualTo("rw-rw----");
    assertThat(group(server.socket())).isEqualTo(GROUP);
  }

  @Test
  void aReadGroupOpensTheSocketToEveryoneAndLeavesTheDecisionToTheCallerCheck() throws Exception {
    start(settings(GROUP, "adm", false));
    assertThat(mode(server.socket())).isEqualTo("rw-rw-rw-");
    assertThat(group(server.socket())).isEqualTo(GROUP);
  }

  @Test
  void aGroupThatDoesNotExistStopsTheStart() {
    assertThatThrownBy(() -> start(settings("no-such-group-here", null, false)))
        .isInstanceOf(IOException.class)
        .hasMessage(
            "http.adminGroup: there is no group no-such-group-here on this host (groupadd"
                + " no-such-group-here)");
  }

  @Test
  void aStaleSocketOfAKilledAgentIsReplaced() throws Exception {
    Path socket = Files.createDirectories(tmp.resolve("run/berth")).resolve("agent.sock");
    // Closing a bound socket leaves its file behind, as a SIGKILL does.
    try (ServerSocketChannel stale = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      stale.bind(UnixDomainSocketAddress.of(socket));
    }
    assertThat(socket).exists();

    start(settings(null, null, false));

    assertThat(post(socket, "/api/v1/resume").status()).isEqualTo(200);
  }

  @Test
  void aFileInTheWayOrALiveSocketStopsTheStart() throws Exception {
    Path socket = Files.createDirectories(tmp.resolve("run/berth")).resolve("agent.sock");
    Files.writeString(socket, "not a socket");
    assertThatThrownBy(() -> start(settings(null, null, false)))
        .hasMessage(
            socket + " exists and is not a socket: remove it, or set http.socket to another path");
    Files.delete(socket);

    try (ServerSocketChannel live = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      live.bind(UnixDomainSocketAddress.of(socket));
      assertThatThrownBy(() -> start(settings(null, null, false)))
          .hasMessage(socket + " is served by another process: is another agent running?");
    }
  }

  @Test
  void stoppingRemovesTheSocket() throws Exception {
    start(settings(null, null, false));
    Path socket = server.socket();
    server.stop();
    assertThat(socket).doesNotExist();
  }

  private static UnixSocketHttp.Response post(Path socket, String path) throws IOException {
    return TestHttp.overSocket(
        socket, "POST " + path + " HTTP/1.1\nHost: x\nContent-Length: 0\nConnection: close\n\n");
  }
}
