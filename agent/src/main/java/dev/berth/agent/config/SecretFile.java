package dev.berth.agent.config;

import dev.berth.reconciler.diag.Diagnostics;
import dev.berth.reconciler.diag.Mark;
import dev.berth.reconciler.parse.YamlDocument;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A file that holds an HMAC key (the webhooks', a notification receiver's): it must exist and hold
 * something, without its final newline and blanks, as an empty key would sign for anyone.
 */
final class SecretFile {
  /** A secret is a short string; a larger file is a mistake, not a secret. */
  static final int MAX_SECRET = 64 * 1024;

  private SecretFile() {}

  /**
   * The secret of {@code file}; null with a finding at {@code at}, which starts with {@code field}
   * (such as "http.webhookSecretFile: /etc/berth/secret") and, for a missing or empty file, ends
   * with {@code remedy}.
   */
  static byte[] read(
      YamlDocument document,
      Mark at,
      String field,
      Path file,
      String remedy,
      Diagnostics diagnostics) {
    String problem;
    byte[] secret = null;
    if (!Files.exists(file)) {
      problem = " does not exist" + remedy;
    } else if (!Files.isRegularFile(file)) {
      problem = " is not a regular file";
    } else {
      try (InputStream in = Files.newInputStream(file)) {
        byte[] bytes = in.readNBytes(MAX_SECRET + 1);
        String text = new String(bytes, StandardCharsets.UTF_8).strip();
        if (bytes.length > MAX_SECRET) {
          problem = " is larger than " + MAX_SECRET / 1024 + " KiB; a secret is a short string";
        } else if (text.isEmpty()) {
          problem = " is empty" + remedy;
        } else {
          problem = null;
          secret = text.getBytes(StandardCharsets.UTF_8);
        }
      } catch (AccessDeniedException e) {
        problem = " cannot be read: permission denied (the agent runs as root)";
      } catch (IOException e) {
        problem = " cannot be read: " + e.getMessage();
      }
    }
    if (problem != null) {
      diagnostics.error(document.file(), at, field + problem);
    }
    return secret;
  }
}
