package dev.berth.reconciler.render;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The header of every file berth writes: it says berth manages the file and carries the hash of the
 * content below it, so that a file edited by hand is told from one berth wrote.
 */
public final class Marker {
  static final String FIRST_LINE_PREFIX = "# Managed by berth";
  static final String HASH_PREFIX = "# berth-sha256: ";

  private Marker() {}

  /**
   * The file's full text: the header for {@code owner} (such as "Container web"), then {@code
   * body}.
   */
  public static String wrap(String owner, String body) {
    return FIRST_LINE_PREFIX
        + " for "
        + owner
        + ". Do not edit: berth overwrites this file.\n"
        + HASH_PREFIX
        + sha256(body)
        + "\n"
        + body;
  }

  /** What a file's header says, if it has berth's header at all. */
  public static Optional<Stamp> read(String text) {
    if (!text.startsWith(FIRST_LINE_PREFIX)) {
      return Optional.empty();
    }
    int first = text.indexOf('\n');
    if (first < 0 || !text.startsWith(HASH_PREFIX, first + 1)) {
      return Optional.empty();
    }
    int second = text.indexOf('\n', first + 1);
    if (second < 0) {
      return Optional.empty();
    }
    String declared = text.substring(first + 1 + HASH_PREFIX.length(), second).strip();
    String body = text.substring(second + 1);
    return Optional.of(new Stamp(declared, sha256(body)));
  }

  /** The hash a managed file declares and the hash of what it actually holds. */
  public record Stamp(String declaredSha256, String actualSha256) {
    public boolean editedByHand() {
      return !declaredSha256.equals(actualSha256);
    }
  }

  /** The SHA-256 of {@code body}'s UTF-8 bytes, lowercase hex. */
  public static String sha256(String body) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(digest.digest(body.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK always has SHA-256", e);
    }
  }
}
