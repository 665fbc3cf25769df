package dev.berth.agent.notify;

import dev.berth.agent.signing.HmacSha256;

/**
 * The {@code X-Berth-Signature} header of a notification: {@code sha256=} and the HMAC-SHA256 of
 * the exact body under the receiver's secret, in lowercase hex (as berth's own {@code
 * /hooks/generic} and GitHub's {@code X-Hub-Signature-256} write it).
 */
public final class BodySignature {
  public static final String HEADER = "X-Berth-Signature";

  private final HmacSha256 key;

  public BodySignature(byte[] key) {
    this.key = new HmacSha256(key, "the receiver's secret");
  }

  /** The header's value for {@code body}. */
  public String of(byte[] body) {
    return "sha256=" + key.hexOf(body);
  }

  @Override
  public String toString() {
    return "BodySignature[redacted]";
  }
}
