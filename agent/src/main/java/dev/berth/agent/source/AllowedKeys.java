package dev.berth.agent.source;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The keys a signature policy allows: OpenPGP fingerprints or long key ids (hex, spaces and {@code
 * 0x} ignored), and SSH public keys ({@code ssh-ed25519 AAAA...}), optionally written as
 * allowed_signers lines ({@code ops@example.com ssh-ed25519 AAAA...}).
 */
final class AllowedKeys {
  private static final List<String> SSH_KEY_TYPES =
      List.of("ssh-", "ecdsa-", "sk-ssh-", "sk-ecdsa-");

  private final Set<String> openPgp = new HashSet<>();
  private final List<String> allowedSigners = new ArrayList<>();

  AllowedKeys(List<String> keys) {
    for (String key : keys == null ? List.<String>of() : keys) {
      String text = key.trim();
      String[] words = text.split("\\s+");
      if (isSshKeyType(words[0]) && words.length >= 2) {
        allowedSigners.add("* " + text); // any principal: the key alone is what is allowed
      } else if (words.length >= 3 && isSshKeyType(words[1])) {
        allowedSigners.add(text);
      } else if (openPgpId(text) != null) {
        openPgp.add(openPgpId(text));
      } else {
        throw new IllegalArgumentException(
            "source.verify.allowedKeys entry \""
                + text
                + "\" is neither an OpenPGP fingerprint or long key id (16, 40 or 64 hex"
                + " digits) nor an SSH public key");
      }
    }
  }

  private static boolean isSshKeyType(String word) {
    return SSH_KEY_TYPES.stream().anyMatch(word::startsWith);
  }

  // Short (8 digit) key ids are refused: they are easy to collide.
  private static String openPgpId(String text) {
    String hex = text.replace(" ", "").toUpperCase(Locale.ROOT);
    if (hex.startsWith("0X")) {
      hex = hex.substring(2);
    }
    boolean isHex = hex.chars().allMatch(c -> Character.digit(c, 16) >= 0);
    return isHex && (hex.length() == 16 || hex.length() == 40 || hex.length() == 64) ? hex : null;
  }

  /** Whether an OpenPGP key with this fingerprint (and key id) is allowed. */
  boolean allowsOpenPgp(byte[] fingerprint, long keyId) {
    return openPgp.contains(hex(fingerprint)) || openPgp.contains(String.format("%016X", keyId));
  }

  /** The allowed SSH keys as lines of an OpenSSH allowed_signers file. */
  List<String> allowedSigners() {
    return List.copyOf(allowedSigners);
  }

  static String hex(byte[] bytes) {
    StringBuilder s = new StringBuilder(bytes.length * 2);
    for (byte b : bytes) {
      s.append(String.format("%02X", b));
    }
    return s.toString();
  }
}
