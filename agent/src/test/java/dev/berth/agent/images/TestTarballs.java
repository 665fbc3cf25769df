package dev.berth.agent.images;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/** Real tarball images for tests: regular files of mode 0644, in the order given. */
public final class TestTarballs {
  private TestTarballs() {}

  /** Writes a tarball of {@code files} (path to content) to {@code tarball}. */
  public static Path write(Path tarball, Map<String, String> files) throws IOException {
    Files.createDirectories(tarball.getParent());
    try (OutputStream out = Files.newOutputStream(tarball);
        TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
      for (Map.Entry<String, String> file : files.entrySet()) {
        TarArchiveEntry entry = new TarArchiveEntry(file.getKey());
        byte[] content = file.getValue().getBytes(StandardCharsets.UTF_8);
        entry.setSize(content.length);
        entry.setMode(0644);
        tar.putArchiveEntry(entry);
        tar.write(content);
        tar.closeArchiveEntry();
      }
    }
    return tarball;
  }

  /** The SHA-256 of {@code tarball}, in hex as a manifest's {@code image.tarball.sha256}. */
  public static String sha256(Path tarball) throws IOException {
    try {
      return HexFormat.of()
          .formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(tarball)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
