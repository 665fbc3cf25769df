package dev.berth.agent.config;

import dev.berth.reconciler.diag.Diagnostics;
import dev.berth.reconciler.parse.YamlDocument;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * {@code http.tokenFile}: the bearer token that lets remote tooling change the agent over TCP. A
 * token others can read is no secret, so the file must be root's and closed to others.
 */
final class TokenFile {
  static final int MAX_TOKEN = 64 * 1024;

  private static final int OTHERS_READ = 0004;

  private TokenFile() {}

  /** The token, without its final newline and blanks; null with a finding in diagnostics. */
  static byte[] read(YamlDocument document, Path file, Diagnostics diagnostics) {
    String problem;
    byte[] token = null;
    try {
      if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
        problem = " does not exist: write a long random token into it (mode 0600, owner root)";
      } else if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
        problem = " is not a regular file (a symlink is refused too)";
      } else if ((Integer) Files.getAttribute(file, "unix:uid", LinkOption.NOFOLLOW_LINKS) != 0) {
        problem = " is not owned by root: chown root " + file;
      } else if (((Integer) Files.getAttribute(file, "unix:mode", LinkOption.NOFOLLOW_LINKS)
              & OTHERS_READ)
          != 0) {
        problem = " is readable by every user: chmod 0600 " + file;
      } else {
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
          byte[] bytes = in.readNBytes(MAX_TOKEN + 1);
          String text = new String(bytes, StandardCharsets.UTF_8).strip();
          if (bytes.length > MAX_TOKEN) {
            problem = " is larger than " + MAX_TOKEN / 1024 + " KiB; a token is a short string";
          } else if (text.isEmpty()) {
            problem = " is empty: write a long random token into it";
          } else {
            problem = null;
            token = text.getBytes(StandardCharsets.UTF_8);
          }
        }
      }
    } catch (IOException | UnsupportedOperationException e) {
      problem = " cannot be read: " + e.getMessage();
    }
    if (problem != null) {
      diagnostics.error(
          document.file(), document.mark("http", "tokenFile"), "http.tokenFile: " + file + problem);
    }
    return token;
  }
}
