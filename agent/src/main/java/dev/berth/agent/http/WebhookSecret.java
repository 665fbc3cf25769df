package dev.berth.agent.http;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** The secret shared with the Git server; every comparison with it takes constant time. */
final class WebhookSecret {
  private static final String HMAC = "HmacSHA256";
  private final byte[] key;

  WebhookSecret(byte[] key) {
    if (key.length == 0) {
      // An empty HMAC key signs for anyone: refuse it rather than accept every request.
      throw new IllegalArgumentException("the webhook secret is empty");
    }
    this.key = key.clone();
  }

  /** Whether {@code hexSignature} is the HMAC-SHA256 of {@code body} under this secret. */
  boolean signed(byte[] body, String hexSignature) {
    if (hexSignature == null) {
      return false;
    }
    byte[] given;
    try {
      given = HexFormat.of().parseHex(hexSignature.trim());
    } catch (IllegalArgumentException e) {
      return false;
    }
    return MessageDigest.isEqual(hmac(body), given);
  }

  /** Whether {@code token} is the secret itself (GitLab, bearer tokens). */
  boolean isToken(String token) {
    if (token == null) {
      return false;
    }
    // Comparing digests keeps the secret's length from leaking through an early length mismatch.
    return MessageDigest.isEqual(sha256(key), sha256(token.getBytes(StandardCharsets.UTF_8)));
  }

  byte[] hmac(byte[] body) {
    try {
      Mac mac = Mac.getInstance(HMAC);
      mac.init(new SecretKeySpec(key, HMAC));
      return mac.doFinal(body);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA256 is missing from this JDK", e);
    }
  }

  private static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is missing from this JDK", e);
    }
  }

  @Override
  public String toString() {
    return "WebhookSecret[redacted]";
  }
}
