package dev.berth.agent.http;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;

/** The bearer token of {@code http.tokenFile}; comparisons with it take constant time. */
final class ApiToken {
  private final byte[] digest;

  ApiToken(byte[] token) {
    if (token.length == 0) {
      throw new IllegalArgumentException("the API token is empty");
    }
    this.digest = sha256(token);
  }

  /** Whether {@code presented} is the token; null (no token presented) never is. */
  boolean matches(String presented) {
    if (presented == null) {
      return false;
    }
    // Digests of equal length: neither the token's length nor a common prefix leaks in the timing.
    return MessageDigest.isEqual(digest, sha256(presented.getBytes(StandardCharsets.UTF_8)));
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
    return "ApiToken[redacted]";
  }
}
