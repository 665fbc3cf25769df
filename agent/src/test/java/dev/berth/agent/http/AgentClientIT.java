package dev.berth.agent.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI's client against the real server on loopback, and against nothing at all. */
class AgentClientIT {
  private final FakeControl control = new FakeControl();
  private AgentHttpServer server;
  private AgentClient client;

  @TempDir Path tmp;

  /** The CLI's default: the unix socket (the tests run as root, whom the agent allows all). */
  @BeforeEach
  void start() throws Exception {
    server =
        new AgentHttpServer(
            new HttpSettings(
                AgentHttpServerIT.ANY_LOOPBACK_PORT,
                tmp.resolve("agent.sock"),
                null,
                null,
                false,
                AgentHttpServerIT.TOKEN.getBytes(StandardCharsets.UTF_8),
                null),
            control,
            new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    server.start();
    client = AgentClient.overSocket(server.socket());
  }

  @AfterEach
  void stop() {
    server.stop();
  }

  @Test
  void readsTheStatus() {
    control.status = StatusJsonTest.sample();
    assertThat(client.status()).isEqualTo(StatusJsonTest.sample());
    assertThat(client.statusJson()).startsWith("{").contains("\"host\" : \"host-a\"");
  }

  @Test
  void readsTheEventsNewestLastAndOnlyThoseAfterASequence() {
    for (int i = 1; i <= 7; i++) {
      control.journal.record(
          dev.berth.agent.events.EventType.APPLIED, "web", "c" + i, "create: started it");
    }

    dev.berth.agent.events.EventJournal.Page all = client.events(0);
    assertThat(all.latest()).isEqualTo(7);
    assertThat(all.dropped()).isEqualTo(2);
    assertThat(all).isEqualTo(control.journal.after(0));
    assertThat(client.events(6).events())
        .singleElement()
        .satisfies(e -> assertThat(e.revision()).isEqualTo("c7"));
    assertThat(client.eventsJson(0)).contains("\"type\" : \"applied\"").contains("\"time\" : \"");
  }

  @Test
  void aBadSequenceIsRefusedWithItsReason() throws Exception {
    assertThat(
            TestHttp.overSocket(
                server.socket(),
                "GET /api/v1/events?after=-1 HTTP/1.1\nHost: x\nConnection: close\n\n"))
        .satisfies(
            r -> {
              assertThat(r.status()).isEqualTo(400);
              assertThat(r.body())
                  .startsWith("after=-1: give the sequence number of an event (0 or more)");
            });
    assertThat(
            TestHttp.overSocket(
                    server.socket(),
                    "GET /api/v1/events?since=1 HTTP/1.1\nHost: x\nConnection: close\n\n")
                .body())
        .startsWith("unknown parameter: since (only after=SEQUENCE)");
  }

  @Test
  void noStatusYetIsAClearError() {
    assertThatThrownBy(client::status)
        .isInstanceOf(AgentClientException.class)
        .hasMessage("the berth agent answered 503: no status yet: the agent is starting");
  }

  @Test
  void reconcileSuspendAndResumeReachTheAgent() {
    assertThat(client.reconcile()).isEqualTo("reconcile triggered");
    assertThat(client.suspend(null)).isEqualTo("suspended the agent");
    assertThat(client.suspend("web")).isEqualTo("suspended container web");
    assertThat(client.resume("web")).isEqualTo("resumed container web");
    assertThat(client.resume(null)).isEqualTo("resumed the agent");
    assertThat(control.calls)
        .containsExactly("reconcile:api", "suspend:*", "suspend:web", "resume:web", "resume:*");
  }

  @Test
  void theAgentsRefusalsBecomeOneLineErrors() {
    assertThatThrownBy(() -> client.suspend("Not A Label&container=web"))
        .isInstanceOf(AgentClientException.class)
        .hasMessageStartingWith("the berth agent answered 400: ")
        .hasMessageNotContaining("\n");
    assertThatThrownBy(() -> client.resume("cache"))
        .hasMessage("the berth agent answered 404: no container cache is managed on this host");
    assertThat(control.calls).isEmpty();
  }

  @Test
  void noAgentListeningIsAClearError() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    AgentClient nobody = new AgentClient(URI.create("http://127.0.0.1:" + port + "/"));
    String expected =
        "no berth agent answers at http://127.0.0.1:" + port + ": is berth-agent running?";
    assertThatThrownBy(nobody::status).hasMessage(expected);
    assertThatThrownBy(nobody::reconcile).hasMessage(expected);
    assertThatThrownBy(() -> nobody.suspend("web")).hasMessage(expected);
  }

  @Test
  void noAgentOnTheSocketIsAClearError() {
    AgentClient nobody = AgentClient.overSocket(tmp.resolve("absent.sock"));
    assertThatThrownBy(nobody::status)
        .hasMessage(
            "no berth agent answers at "
                + tmp.resolve("absent.sock")
                + ": is berth-agent running?");
  }

  @Test
  void overTcpTheTokenAllowsChangesAndItsAbsenceIsARefusalInOneLine() {
    URI tcp = AgentClient.forAddress(server.address()).base();
    assertThat(new AgentClient(tcp, AgentHttpServerIT.TOKEN).suspend(null))
        .isEqualTo("suspended the agent");
    assertThatThrownBy(() -> new AgentClient(tcp).suspend(null))
        .isInstanceOf(AgentClientException.class)
        .hasMessageStartingWith("changes over TCP need Authorization: Bearer")
        .hasMessageNotContaining("\n");
    assertThatThrownBy(() -> new AgentClient(tcp, "wrong").reconcile())
        .hasMessageStartingWith("changes over TCP need Authorization: Bearer");
    assertThat(control.calls).containsExactly("suspend:*");
  }

  @Test
  void aWildcardListenAddressIsReachedOnLoopback() {
    assertThat(AgentClient.forAddress(new InetSocketAddress("0.0.0.0", 9480)).base())
        .isEqualTo(URI.create("http://127.0.0.1:9480"));
    assertThat(AgentClient.forAddress(new InetSocketAddress("::1", 9480)).base())
        .isEqualTo(URI.create("http://[0:0:0:0:0:0:0:1]:9480"));
  }
}
