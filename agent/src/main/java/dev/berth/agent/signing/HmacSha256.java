package dev.berth.agent.signing;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A shared secret that signs and checks bodies with HMAC-SHA256: the webhooks a Git server sends to
 * the agent ({@code http}) and the notifications the agent sends out ({@code notify}). The key
 * never leaves this object, and a check takes constant time.
 */
public final class HmacSha256 {
  private static final String ALGORITHM = "HmacSHA256";
  private final byte[] key;
  private final byte[] keyDigest;

  /**
   * @throws IllegalArgumentException for an empty key, which would sign for anyone
   */
  public HmacSha256(byte[] key, String what) {
    if (key.length == 0) {
      throw new IllegalArgumentException(what + " is empty");
    }
    this.key = key.clone();
    this.keyDigest = sha256(key);
  }

  /** The HMAC-SHA256 of {@code body}. */
  public byte[] of(byte[] body) {
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(new SecretKeySpec(key, ALGORITHM));
      return mac.doFinal(body);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA256 is missing from this JDK", e);
    }
  }

  /** The HMAC-SHA256 of {@code body} in lowercase hex. */
  public String hexOf(byte[] body) {
    return HexFormat.of().formatHex(of(body));
  }

  /** Whether {@code hex} (surrounding blanks aside) is the HMAC-SHA256 of {@code body}. */
  public boolean signs(byte[] body, String hex) {
    if (hex == null) {
      return false;
    }
    byte[] given;
    try {
      given = HexFormat.of().parseHex(hex.trim());
    } catch (IllegalArgumentException e) {
      return false;
    }
    return MessageDigest.isEqual(of(body), given);
  }

  /**
   * Whether {@code candidate} is the key itself (GitLab's token, a bearer token). Digests are
   * compared, so that the key's length does not leak through an early length mismatch.
   */
  public boolean isKey(byte[] candidate) {
    return MessageDigest.isEqual(keyDigest, sha256(candidate));
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
    return "HmacSha256[redacted]";
  }
}
