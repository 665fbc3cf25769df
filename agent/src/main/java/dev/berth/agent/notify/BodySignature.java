package dev.berth.agent.notify;

import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The {@code X-Berth-Signature} header of a notification: {@code sha256=} and the HMAC-SHA256 of
 * the exact body under the receiver's secret, in lowercase hex (as berth's own {@code
 * /hooks/generic} and GitHub's {@code X-Hub-Signature-256} write it).
 */
public final class BodySignature {
  public static final String HEADER = "X-Berth-Signature";
  private static final String HMAC = "HmacSHA256";

  private final byte[] key;

  public BodySignature(byte[] key) {
    if (key.length == 0) {
      throw new IllegalArgumentException("an empty HMAC key signs for anyone");
    }
    this.key = key.clone();
  }

  /** The header's value for {@code body}. */
  public String of(byte[] body) {
    try {
      Mac mac = Mac.getInstance(HMAC);
      mac.init(new SecretKeySpec(key, HMAC));
      return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA256 is missing from this JDK", e);
    }
  }

  @Override
  public String toString() {
    return "BodySignature[redacted]";
  }
}
