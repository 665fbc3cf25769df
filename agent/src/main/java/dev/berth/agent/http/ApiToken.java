package dev.berth.agent.http;

import dev.berth.agent.signing.HmacSha256;
import java.nio.charset.StandardCharsets;

/** The bearer token of {@code http.tokenFile}; comparisons with it take constant time. */
final class ApiToken {
  private final HmacSha256 token;

  ApiToken(byte[] token) {
    this.token = new HmacSha256(token, "the API token");
  }

  /** Whether {@code presented} is the token; null (no token presented) never is. */
  boolean matches(String presented) {
    return presented != null && token.isKey(presented.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public String toString() {
    return "ApiToken[redacted]";
  }
}
