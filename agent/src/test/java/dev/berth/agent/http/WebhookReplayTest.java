package dev.berth.agent.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.eclipse.jetty.http.HttpFields;
import org.junit.jupiter.api.Test;

/** The probe's finding: one signed delivery replayed 8 times triggered 5 passes. */
class WebhookReplayTest {
  private static final String KEY = "shared";
  private static final byte[] PUSH =
      "{\"ref\":\"refs/heads/main\",\"after\":\"abc\"}".getBytes(StandardCharsets.UTF_8);

  private final FakeControl control = new FakeControl();

  private WebhookEndpoint endpoint(Webhook webhook, int burst) {
    return new WebhookEndpoint(
        webhook,
        new WebhookSecret(KEY.getBytes(StandardCharsets.UTF_8)),
        control,
        new TokenBucket(burst, Duration.ofMinutes(1)),
        new SeenDeliveries());
  }

  private static Request request(Webhook webhook, byte[] body, String... headers) throws Exception {
    HttpFields.Mutable fields = HttpFields.build();
    for (int i = 0; i < headers.length; i += 2) {
      fields.add(headers[i], headers[i + 1]);
    }
    return new Request("POST", webhook.path(), null, fields, body);
  }

  @Test
  void aSignedDeliveryReplayedEightTimesTriggersOnePass() throws Exception {
    WebhookEndpoint github = endpoint(Webhook.GITHUB, 5);
    String signature = "sha256=" + WebhookTest.hmacHex(KEY, PUSH);
    Reply first = null;
    Reply last = null;
    for (int i = 0; i < 9; i++) {
      // An attacker can change the delivery id; the signature binds the body and stays.
      Reply reply =
          github.handle(
              request(
                  Webhook.GITHUB,
                  PUSH,
                  "X-Hub-Signature-256",
                  signature,
                  "X-GitHub-Delivery",
                  "id-" + i));
      first = first == null ? reply : first;
      last = reply;
    }
    assertThat(first.status()).isEqualTo(202);
    assertThat(last.status()).isEqualTo(200);
    assertThat(new String(last.body(), StandardCharsets.UTF_8))
        .isEqualTo("duplicate delivery ignored\n");
    assertThat(control.triggers()).containsExactly("reconcile:webhook:github");
  }

  @Test
  void aRetryWithTheSameDeliveryIdTriggersNothingNew() throws Exception {
    WebhookEndpoint gitlab = endpoint(Webhook.GITLAB, 5);
    for (int i = 0; i < 3; i++) {
      gitlab.handle(
          request(Webhook.GITLAB, PUSH, "X-Gitlab-Token", KEY, "X-Gitlab-Event-UUID", "u-1"));
    }
    gitlab.handle(
        request(Webhook.GITLAB, PUSH, "X-Gitlab-Token", KEY, "X-Gitlab-Event-UUID", "u-2"));
    assertThat(control.triggers()).hasSize(2);
  }

  @Test
  void twoPushesAreTwoDeliveries() throws Exception {
    WebhookEndpoint gitea = endpoint(Webhook.GITEA, 5);
    byte[] next = "{\"after\":\"def\"}".getBytes(StandardCharsets.UTF_8);
    gitea.handle(request(Webhook.GITEA, PUSH, "X-Gitea-Signature", WebhookTest.hmacHex(KEY, PUSH)));
    gitea.handle(request(Webhook.GITEA, next, "X-Gitea-Signature", WebhookTest.hmacHex(KEY, next)));
    assertThat(control.triggers()).hasSize(2);
  }

  @Test
  void aDeliveryRefusedByTheRateLimitCountsWhenRetried() throws Exception {
    WebhookEndpoint github = endpoint(Webhook.GITHUB, 1);
    byte[] other = "{\"after\":\"0\"}".getBytes(StandardCharsets.UTF_8);
    github.handle(
        request(
            Webhook.GITHUB,
            other,
            "X-Hub-Signature-256",
            "sha256=" + WebhookTest.hmacHex(KEY, other)));
    String signature = "sha256=" + WebhookTest.hmacHex(KEY, PUSH);
    assertThat(
            github.handle(request(Webhook.GITHUB, PUSH, "X-Hub-Signature-256", signature)).status())
        .isEqualTo(429);
    // Still limited, but not taken for a duplicate: the delivery never triggered.
    assertThat(
            github.handle(request(Webhook.GITHUB, PUSH, "X-Hub-Signature-256", signature)).status())
        .isEqualTo(429);
  }

  @Test
  void unsignedRequestsAreNotRemembered() throws Exception {
    WebhookEndpoint github = endpoint(Webhook.GITHUB, 5);
    String signature = "sha256=" + WebhookTest.hmacHex(KEY, PUSH);
    // The same signature on another body is refused, and must not block the real delivery.
    github.handle(
        request(
            Webhook.GITHUB,
            "x".getBytes(StandardCharsets.UTF_8),
            "X-Hub-Signature-256",
            signature));
    assertThat(
            github.handle(request(Webhook.GITHUB, PUSH, "X-Hub-Signature-256", signature)).status())
        .isEqualTo(202);
  }
}
