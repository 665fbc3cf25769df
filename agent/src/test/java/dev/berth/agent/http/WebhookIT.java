package dev.berth.agent.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The push webhooks over real HTTP: real HMACs, good, bad and missing; limits; no secret. */
class WebhookIT {
  private static final String SECRET = "s3cret-shared-with-the-git-server";
  private static final byte[] PUSH =
      "{\"ref\":\"refs/heads/main\",\"after\":\"abc123\"}".getBytes(StandardCharsets.UTF_8);

  private static final byte[] NEXT_PUSH =
      "{\"ref\":\"refs/heads/main\",\"after\":\"def456\"}".getBytes(StandardCharsets.UTF_8);

  private final FakeControl control = new FakeControl();
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private AgentHttpServer server;
  private TestHttp http;

  @AfterEach
  void stop() {
    server.stop();
  }

  @ParameterizedTest
  @EnumSource(Webhook.class)
  void aGoodSignatureTriggersAPass(Webhook webhook) throws Exception {
    start(SECRET);
    HttpResponse<String> response = http.post(webhook.path(), PUSH, good(webhook, PUSH));
    assertThat(response.statusCode()).isEqualTo(202);
    assertThat(response.body()).isEqualTo("reconcile triggered\n");
    assertThat(control.calls).containsExactly("reconcile:webhook:" + webhook.id());
  }

  @ParameterizedTest
  @EnumSource(Webhook.class)
  void aSignatureUnderAnotherSecretIs401AndTriggersNothing(Webhook webhook) throws Exception {
    start(SECRET);
    HttpResponse<String> response =
        http.post(webhook.path(), PUSH, signed(webhook, "not-the-secret", PUSH));
    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(control.calls).isEmpty();
  }

  /** GitLab sends a token, not a signature of the body: the others' signatures bind the body. */
  @ParameterizedTest
  @EnumSource(value = Webhook.class, names = "GITLAB", mode = EnumSource.Mode.EXCLUDE)
  void aSignatureOfAnotherBodyIs401AndTriggersNothing(Webhook webhook) throws Exception {
    start(SECRET);
    byte[] tampered = "{\"ref\":\"refs/heads/evil\"}".getBytes(StandardCharsets.UTF_8);
    assertThat(http.post(webhook.path(), tampered, good(webhook, PUSH)).statusCode())
        .isEqualTo(401);
    assertThat(control.calls).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(Webhook.class)
  void aMissingSignatureIs401AndTriggersNothing(Webhook webhook) throws Exception {
    start(SECRET);
    HttpResponse<String> response = http.post(webhook.path(), PUSH);
    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.body()).isEqualTo("missing or bad signature: nothing was triggered\n");
    assertThat(control.calls).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(Webhook.class)
  void withoutASecretTheHooksDoNotExist(Webhook webhook) throws Exception {
    start(null);
    HttpResponse<String> response = http.post(webhook.path(), PUSH, good(webhook, PUSH));
    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(response.body()).contains("webhookSecretFile");
    assertThat(control.calls).isEmpty();
  }

  @Test
  void aFloodIsRateLimitedAndUnsignedRequestsDoNotSpendTheBudget() throws Exception {
    start(SECRET);
    for (int i = 0; i < 10; i++) {
      assertThat(http.post("/hooks/github", PUSH).statusCode()).isEqualTo(401);
    }
    assertThat(http.post("/hooks/github", PUSH, good(Webhook.GITHUB, PUSH)).statusCode())
        .isEqualTo(202);
    // The hooks share one budget, whichever path a Git server posts to.
    assertThat(http.post("/hooks/gitea", PUSH, good(Webhook.GITEA, PUSH)).statusCode())
        .isEqualTo(202);
    // Another push (the same one again would be a duplicate delivery, which spends nothing).
    HttpResponse<String> limited =
        http.post("/hooks/github", NEXT_PUSH, good(Webhook.GITHUB, NEXT_PUSH));
    assertThat(limited.statusCode()).isEqualTo(429);
    assertThat(limited.headers().firstValue("Retry-After")).isPresent();
    assertThat(limited.body()).startsWith("too many triggers: retry in ");
    assertThat(control.triggers()).hasSize(2);
    // The CLI's own trigger has its own budget.
    assertThat(
            http.post("/api/v1/reconcile", "Authorization", "Bearer " + AgentHttpServerIT.TOKEN)
                .statusCode())
        .isEqualTo(202);
  }

  @Test
  void aBodyOverTheLimitIs413WithOrWithoutALength() throws Exception {
    start(SECRET);
    byte[] large = new byte[4096];
    HttpResponse<String> declared =
        http.post("/hooks/generic", large, good(Webhook.GENERIC, large));
    assertThat(declared.statusCode()).isEqualTo(413);

    // Chunked: no Content-Length, so the limit is found while reading.
    HttpRequest chunked =
        http.request("/hooks/generic")
            .header("Authorization", "Bearer " + SECRET)
            .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(large)))
            .build();
    assertThat(http.send(chunked).statusCode()).isEqualTo(413);

    assertThat(
            http.rawStatusLine(
                "POST /hooks/github HTTP/1.1\nHost: 127.0.0.1\nContent-Length: 99999999999\n\n"))
        .startsWith("HTTP/1.1 413");
    assertThat(control.calls).isEmpty();
  }

  private void start(String secret) throws IOException {
    server =
        new AgentHttpServer(
            new HttpSettings(
                AgentHttpServerIT.ANY_LOOPBACK_PORT,
                null,
                null,
                null,
                false,
                AgentHttpServerIT.TOKEN.getBytes(StandardCharsets.UTF_8),
                secret == null ? null : secret.getBytes(StandardCharsets.UTF_8)),
            control,
            registry,
            new AgentHttpServer.Limits(1024, 2, Duration.ofMinutes(1)));
    server.start();
    http = new TestHttp(server.address());
  }

  private static String[] good(Webhook webhook, byte[] body) throws Exception {
    return signed(webhook, SECRET, body);
  }

  /** The headers each Git server sends, computed with a real HMAC under {@code key}. */
  private static String[] signed(Webhook webhook, String key, byte[] body) throws Exception {
    String hmac = WebhookTest.hmacHex(key, body);
    return switch (webhook) {
      case GITHUB ->
          new String[] {"X-Hub-Signature-256", "sha256=" + hmac, "X-GitHub-Event", "push"};
      case GITEA -> new String[] {"X-Gitea-Signature", hmac, "X-Gitea-Event", "push"};
      case GITLAB -> new String[] {"X-Gitlab-Token", key, "X-Gitlab-Event", "Push Hook"};
      case GENERIC -> new String[] {"X-Berth-Signature", "sha256=" + hmac};
    };
  }
}
