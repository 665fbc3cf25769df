package dev.berth.reconciler.diff;

import dev.berth.reconciler.render.HostPaths;
import dev.berth.reconciler.render.Marker;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a diff may show of a file that can hold credential material. A sealed credential's file (a
 * systemd-creds blob) is shown as one line with its size and the SHA-256 of its ciphertext, so that
 * a rotated secret shows as a change without its blob; a {@code SetCredential=} or {@code
 * SetCredentialEncrypted=} setting (which raw {@code nspawn:} settings could hold) keeps its ID and
 * loses its value. berth's own {@code LoadCredentialEncrypted=} lines name only a path.
 */
public final class CredentialMask {
  /** What stands in for a masked value. */
  public static final String MASK = "********";

  private static final Pattern SET_CREDENTIAL =
      Pattern.compile("^(\\s*SetCredential(?:Encrypted)?\\s*=\\s*)([^:]*:)?(.*)$");

  private CredentialMask() {}

  /** The text a diff compares for the file at {@code path}: its content, or a blob's summary. */
  public static String text(String path, String content) {
    if (!HostPaths.isCredential(path)) {
      return content;
    }
    return "sealed credential, "
        + content.getBytes(StandardCharsets.UTF_8).length
        + " bytes of ciphertext, sha256 "
        + Marker.sha256(content).substring(0, 16)
        + " (not shown)\n";
  }

  /** One line of a file as a diff prints it: a credential's value replaced by {@link #MASK}. */
  public static String line(String line) {
    Matcher setting = SET_CREDENTIAL.matcher(line);
    if (!setting.matches() || setting.group(3).isEmpty()) {
      return line;
    }
    return setting.group(1) + (setting.group(2) == null ? "" : setting.group(2)) + MASK;
  }
}
