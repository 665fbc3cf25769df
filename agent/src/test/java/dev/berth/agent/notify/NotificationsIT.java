package dev.berth.agent.notify;

import static dev.berth.agent.notify.CountingMetrics.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.berth.agent.config.AgentConfig.Notification;
import dev.berth.agent.config.AgentConfig.Notification.Kind;
import dev.berth.agent.events.AgentEvent;
import dev.berth.agent.events.EventType;
import dev.berth.agent.notify.NotificationMetrics.Result;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The notifications against a real HTTP receiver on loopback (the JDK's server). */
class NotificationsIT {
  private static final byte[] SECRET = "receiver-secret".getBytes(StandardCharsets.UTF_8);
  private static final RetryPolicy QUICK =
      new RetryPolicy(Duration.ofMillis(20), Duration.ofMillis(50), 3);

  /** One request as the receiver got it. */
  record Received(String path, String signature, String eventType, byte[] body) {}

  private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
  private final CountingMetrics metrics = new CountingMetrics();
  private final ObjectMapper json = new ObjectMapper();
  private final CountDownLatch release = new CountDownLatch(1);
  private HttpServer server;
  private Notifier notifier;

  @AfterEach
  void stop() throws Exception {
    release.countDown();
    if (notifier != null) {
      notifier.close();
    }
    if (server != null) {
      server.stop(0);
    }
  }

  /** A receiver on loopback whose paths answer with the statuses given, one per request. */
  private URI serve(Map<String, List<Integer>> statuses) throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(Executors.newCachedThreadPool());
    for (var path : statuses.entrySet()) {
      AtomicInteger calls = new AtomicInteger();
      server.createContext(
          path.getKey(),
          exchange -> {
            received.add(read(exchange));
            List<Integer> answers = path.getValue();
            int status = answers.get(Math.min(calls.getAndIncrement(), answers.size() - 1));
            if (status == 0) {
              awaitRelease(); // never answers while the test runs
            }
            exchange.sendResponseHeaders(status == 0 ? 200 : status, -1);
            exchange.close();
          });
    }
    server.start();
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  private void awaitRelease() {
    try {
      release.await(1, TimeUnit.MINUTES);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static Received read(HttpExchange exchange) throws IOException {
    return new Received(
        exchange.getRequestURI().getPath(),
        exchange.getRequestHeaders().getFirst("X-Berth-Signature"),
        exchange.getRequestHeaders().getFirst("X-Berth-Event"),
        exchange.getRequestBody().readAllBytes());
  }

  private static Notification receiver(String name, URI url, Kind kind, Set<EventType> events) {
    return new Notification(name, url, kind, null, events);
  }

  private static AgentEvent event(long sequence, EventType type) {
    return new AgentEvent(
        sequence,
        Instant.parse("2026-12-02T10:00:00Z"),
        type,
        "web",
        "0123456789abcdef0123456789abcdef01234567",
        "restart: unit failed");
  }

  private Received next() throws InterruptedException {
    Received request = received.poll(20, TimeUnit.SECONDS);
    assertThat(request).as("a request reached the receiver").isNotNull();
    return request;
  }

  private static String hmac(byte[] body) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(SECRET, "HmacSHA256"));
    return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
  }

  @Test
  void sendsEachKindItsBodySignedWithTheReceiversSecret() throws Exception {
    URI base = serve(Map.of("/generic", List.of(200), "/slack", List.of(200)));
    Set<EventType> all = EnumSet.allOf(EventType.class);
    notifier =
        new Notifier(
            "host-a",
            List.of(
                receiver("ops", base.resolve("/generic"), Kind.GENERIC, all),
                receiver("chat", base.resolve("/slack"), Kind.SLACK, Set.of(EventType.FAILED))),
            Map.of("ops", SECRET),
            metrics,
            QUICK,
            10);
    notifier.start();

    notifier.accept(event(1, EventType.APPLIED)); // chat takes only failures
    notifier.accept(event(2, EventType.FAILED));

    Map<String, List<Received>> byPath = new java.util.TreeMap<>();
    for (int i = 0; i < 3; i++) {
      Received request = next();
      byPath.computeIfAbsent(request.path(), k -> new java.util.ArrayList<>()).add(request);
    }
    List<Received> generic = byPath.get("/generic");
    assertThat(generic).extracting(Received::eventType).containsExactly("applied", "failed");
    JsonNode document = json.readTree(generic.get(1).body());
    assertThat(document.get("host").asText()).isEqualTo("host-a");
    assertThat(document.get("sequence").asLong()).isEqualTo(2);
    assertThat(document.get("type").asText()).isEqualTo("failed");
    assertThat(document.get("container").asText()).isEqualTo("web");
    for (Received request : generic) {
      assertThat(request.signature()).isEqualTo(hmac(request.body()));
    }
    List<Received> slack = byPath.get("/slack");
    assertThat(slack).hasSize(1);
    assertThat(slack.get(0).signature()).as("unsigned without a secret").isNull();
    assertThat(json.readTree(slack.get(0).body()).get("text").asText())
        .isEqualTo("berth on host-a: failed web at 0123456: restart: unit failed");
    await("both receivers counted", () -> metrics.count("ops", Result.SENT) == 2);
    assertThat(metrics.count("chat", Result.SENT)).isEqualTo(1);
    assertThat(received.poll(200, TimeUnit.MILLISECONDS)).as("nothing else was sent").isNull();
  }

  @Test
  void anEventIsSentAgainAfterA500() throws Exception {
    URI base = serve(Map.of("/flaky", List.of(500, 200)));
    notifier =
        new Notifier(
            "host-a",
            List.of(
                receiver("ops", base.resolve("/flaky"), Kind.GENERIC, Set.of(EventType.FAILED))),
            Map.of("ops", SECRET),
            metrics,
            QUICK,
            10);
    notifier.start();

    notifier.accept(event(1, EventType.FAILED));

    Received first = next();
    Received second = next();
    assertThat(second.body()).isEqualTo(first.body());
    assertThat(second.signature()).isEqualTo(hmac(second.body()));
    await("sent after one retry", () -> metrics.count("ops", Result.SENT) == 1);
    assertThat(metrics.count("ops", Result.RETRIED)).isEqualTo(1);
    assertThat(metrics.count("ops", Result.FAILED)).isZero();
  }

  @Test
  void aRefusalIsGivenUpAtOnceAndPersistentFailuresAfterTheLastAttempt() throws Exception {
    URI base = serve(Map.of("/refuses", List.of(400), "/broken", List.of(503)));
    notifier =
        new Notifier(
            "host-a",
            List.of(
                receiver(
                    "strict", base.resolve("/refuses"), Kind.GENERIC, Set.of(EventType.FAILED)),
                receiver(
                    "broken", base.resolve("/broken"), Kind.GENERIC, Set.of(EventType.FAILED))),
            Map.of(),
            metrics,
            QUICK,
            10);
    notifier.start();

    notifier.accept(event(1, EventType.FAILED));

    await(
        "both gave up",
        () ->
            metrics.count("strict", Result.FAILED) == 1
                && metrics.count("broken", Result.FAILED) == 1);
    assertThat(metrics.count("strict", Result.RETRIED)).isZero();
    assertThat(metrics.count("broken", Result.RETRIED)).isEqualTo(QUICK.attempts() - 1);
    assertThat(received).hasSize(1 + QUICK.attempts());
  }

  @Test
  void aReceiverThatNeverAnswersHoldsOneEventAndDropsTheOldestBeyondItsQueue() throws Exception {
    URI base = serve(Map.of("/stuck", List.of(0)));
    notifier =
        new Notifier(
            "host-a",
            List.of(
                receiver(
                    "stuck", base.resolve("/stuck"), Kind.GENERIC, EnumSet.allOf(EventType.class))),
            Map.of(),
            metrics,
            QUICK,
            3);
    notifier.start();
    notifier.accept(event(1, EventType.FAILED));
    assertThat(json.readTree(next().body()).get("sequence").asLong()).isEqualTo(1);

    // The sender waits on event 1; the agent's thread (this one) goes on recording events.
    for (long sequence = 2; sequence <= 10; sequence++) {
      notifier.accept(event(sequence, EventType.APPLIED));
    }

    assertThat(notifier.waiting("stuck")).isEqualTo(3);
    assertThat(metrics.queues.get("stuck").getAsInt()).isEqualTo(3);
    assertThat(metrics.count("stuck", Result.DROPPED)).isEqualTo(6);
    assertThat(metrics.count("stuck", Result.SENT)).isZero();
    notifier.close(); // interrupts the send in flight
    notifier = null;
  }

  @Test
  void aReceiverThatRefusesConnectionsIsRetriedLaterAndBoundedMeanwhile() throws Exception {
    int closedPort;
    try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = free.getLocalPort();
    }
    RetryPolicy hourly = new RetryPolicy(Duration.ofHours(1), Duration.ofHours(1), 5);
    notifier =
        new Notifier(
            "host-a",
            List.of(
                receiver(
                    "down",
                    URI.create("http://127.0.0.1:" + closedPort + "/"),
                    Kind.GENERIC,
                    EnumSet.allOf(EventType.class))),
            Map.of(),
            metrics,
            hourly,
            2);
    notifier.start();

    notifier.accept(event(1, EventType.FAILED));
    await("the refused attempt is counted", () -> metrics.count("down", Result.RETRIED) == 1);
    for (long sequence = 2; sequence <= 6; sequence++) {
      notifier.accept(event(sequence, EventType.APPLIED));
    }

    assertThat(notifier.waiting("down")).isEqualTo(2);
    assertThat(metrics.count("down", Result.DROPPED)).isEqualTo(3);
    notifier.close(); // the sender sleeps for an hour before its next attempt: close ends it now
    notifier = null;
  }
}
