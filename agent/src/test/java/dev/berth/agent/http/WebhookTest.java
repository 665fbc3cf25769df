package dev.berth.agent.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class WebhookTest {
  private static final String KEY = "It's a Secret to Everybody";
  private static final byte[] BODY = "Hello, World!".getBytes(StandardCharsets.UTF_8);
  private final WebhookSecret secret = new WebhookSecret(KEY.getBytes(StandardCharsets.UTF_8));

  @Test
  void matchesGitHubsDocumentedExample() throws Exception {
    // docs.github.com, "Validating webhook deliveries": this secret and payload give this digest.
    String expected = "757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";
    assertThat(HexFormat.of().formatHex(secret.hmac(BODY))).isEqualTo(expected);
    assertThat(hmacHex(KEY, BODY)).isEqualTo(expected);
    assertThat(
            Webhook.GITHUB.verify(
                headers("X-Hub-Signature-256", "sha256=" + expected), BODY, secret))
        .isTrue();
  }

  @Test
  void gitHubRefusesBadMissingOrUnprefixedSignatures() throws Exception {
    String good = hmacHex(KEY, BODY);
    assertThat(verify(Webhook.GITHUB, "X-Hub-Signature-256", "sha256=" + good.toUpperCase()))
        .isTrue();
    assertThat(verify(Webhook.GITHUB, "X-Hub-Signature-256", good)).isFalse();
    assertThat(verify(Webhook.GITHUB, "X-Hub-Signature-256", "sha256=" + hmacHex("other", BODY)))
        .isFalse();
    assertThat(verify(Webhook.GITHUB, "X-Hub-Signature-256", "sha256=zz")).isFalse();
    assertThat(verify(Webhook.GITHUB, "X-Hub-Signature-256", "sha256=")).isFalse();
    assertThat(Webhook.GITHUB.verify(headers(), BODY, secret)).isFalse();
    // Gitea's header does not stand in for GitHub's.
    assertThat(verify(Webhook.GITHUB, "X-Gitea-Signature", good)).isFalse();
  }

  @Test
  void giteaWantsTheBareHexHmac() throws Exception {
    String good = hmacHex(KEY, BODY);
    assertThat(verify(Webhook.GITEA, "X-Gitea-Signature", good)).isTrue();
    assertThat(verify(Webhook.GITEA, "X-Gitea-Signature", "sha256=" + good)).isFalse();
    assertThat(verify(Webhook.GITEA, "X-Gitea-Signature", hmacHex(KEY, new byte[0]))).isFalse();
    assertThat(Webhook.GITEA.verify(headers(), BODY, secret)).isFalse();
  }

  @Test
  void gitLabSendsTheSecretItself() {
    assertThat(verify(Webhook.GITLAB, "X-Gitlab-Token", KEY)).isTrue();
    assertThat(verify(Webhook.GITLAB, "X-Gitlab-Token", KEY + " ")).isFalse();
    assertThat(verify(Webhook.GITLAB, "X-Gitlab-Token", KEY.substring(1))).isFalse();
    assertThat(verify(Webhook.GITLAB, "X-Gitlab-Token", "")).isFalse();
    assertThat(Webhook.GITLAB.verify(headers(), BODY, secret)).isFalse();
  }

  @Test
  void genericTakesASignatureOrABearerToken() throws Exception {
    String good = hmacHex(KEY, BODY);
    assertThat(verify(Webhook.GENERIC, "X-Berth-Signature", "sha256=" + good)).isTrue();
    assertThat(verify(Webhook.GENERIC, "X-Berth-Signature", good)).isFalse();
    assertThat(verify(Webhook.GENERIC, "Authorization", "Bearer " + KEY)).isTrue();
    assertThat(verify(Webhook.GENERIC, "Authorization", "bearer " + KEY)).isTrue();
    assertThat(verify(Webhook.GENERIC, "Authorization", "Bearer wrong")).isFalse();
    assertThat(verify(Webhook.GENERIC, "Authorization", "Basic " + KEY)).isFalse();
    assertThat(Webhook.GENERIC.verify(headers(), BODY, secret)).isFalse();
  }

  @Test
  void anEmptySecretIsRefusedAndNeverPrinted() {
    assertThatThrownBy(() -> new WebhookSecret(new byte[0]))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(secret.toString()).doesNotContain(KEY);
  }

  @Test
  void theSecretIsCopied() {
    byte[] key = "abc".getBytes(StandardCharsets.UTF_8);
    WebhookSecret copied = new WebhookSecret(key);
    key[0] = 'x';
    assertThat(copied.isToken("abc")).isTrue();
  }

  private boolean verify(Webhook webhook, String header, String value) {
    return webhook.verify(headers(header, value), BODY, secret);
  }

  static String hmacHex(String key, byte[] body) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    return HexFormat.of().formatHex(mac.doFinal(body));
  }

  private static UnaryOperator<String> headers(String... nameValues) {
    Map<String, String> map = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    for (int i = 0; i < nameValues.length; i += 2) {
      map.put(nameValues[i], nameValues[i + 1]);
    }
    return map::get;
  }
}
