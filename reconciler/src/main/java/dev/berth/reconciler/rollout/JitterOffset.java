package dev.berth.reconciler.rollout;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;

/**
 * A host's share of the apply jitter for a revision: a fraction of it in [0, 1) from a hash of the
 * host's name and the revision, so that the same host waits the same time for a revision across
 * restarts, and a fleet's hosts spread evenly over the jitter.
 */
final class JitterOffset {
  private JitterOffset() {}

  static Duration of(Duration jitter, String host, String revision) {
    if (jitter.isZero() || jitter.isNegative()) {
      return Duration.ZERO;
    }
    long nanos = jitter.toNanos();
    // A double's rounding must not reach the jitter itself: the offset stays below it.
    return Duration.ofNanos(Math.min(nanos - 1, (long) (fraction(host, revision) * nanos)));
  }

  /** The top 53 bits of SHA-256(host NUL revision), as a double in [0, 1). */
  static double fraction(String host, String revision) {
    byte[] digest = sha256((host + "\0" + revision).getBytes(StandardCharsets.UTF_8));
    return (ByteBuffer.wrap(digest).getLong() >>> 11) * 0x1.0p-53;
  }

  private static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }
}
