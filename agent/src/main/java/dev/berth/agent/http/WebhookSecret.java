package dev.berth.agent.http;

import dev.berth.agent.signing.HmacSha256;
import java.nio.charset.StandardCharsets;

/** The secret shared with the Git server; every comparison with it takes constant time. */
final class WebhookSecret {
  private final HmacSha256 key;

  WebhookSecret(byte[] key) {
    // An empty HMAC key signs for anyone: HmacSha256 refuses it rather than accept every request.
    this.key = new HmacSha256(key, "the webhook secret");
  }

  /** Whether {@code hexSignature} is the HMAC-SHA256 of {@code body} under this secret. */
  boolean signed(byte[] body, String hexSignature) {
    return key.signs(body, hexSignature);
  }

  /** Whether {@code token} is the secret itself (GitLab, bearer tokens). */
  boolean isToken(String token) {
    return token != null && key.isKey(token.getBytes(StandardCharsets.UTF_8));
  }

  byte[] hmac(byte[] body) {
    return key.of(body);
  }

  @Override
  public String toString() {
    return "WebhookSecret[redacted]";
  }
}
