package dev.berth.agent.images;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The cached tarballs whose sha256 was checked, each with the file's stamp when it was: device,
 * inode, size, modification and change times. A file whose stamp is still the same has the bytes
 * that were checked (any write, truncation, chmod or rename over it moves its change time, which no
 * program can set back), so 50 containers of one image hash it once, not 50 times.
 */
final class CheckedTarballs {
  private final Map<Path, Stamp> checked = new ConcurrentHashMap<>();

  /** What identifies a file's content without reading it. */
  record Stamp(Object dev, Object ino, long size, FileTime modified, FileTime changed) {
    static Optional<Stamp> of(Path file) throws IOException {
      if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
        return Optional.empty();
      }
      Map<String, Object> a =
          Files.readAttributes(
              file, "unix:dev,ino,size,lastModifiedTime,ctime", LinkOption.NOFOLLOW_LINKS);
      return Optional.of(
          new Stamp(
              a.get("dev"),
              a.get("ino"),
              (Long) a.get("size"),
              (FileTime) a.get("lastModifiedTime"),
              (FileTime) a.get("ctime")));
    }
  }

  /** Whether {@code file} is, unchanged, one whose hash was checked. */
  boolean unchangedSinceChecked(Path file) throws IOException {
    Stamp stamp = checked.get(file);
    return stamp != null && Stamp.of(file).map(stamp::equals).orElse(false);
  }

  /**
   * Records that {@code file}, stamped {@code before} its hash was read, matched: only if its stamp
   * is the same after, so that a change during the read is not taken for checked bytes.
   */
  void checked(Path file, Stamp before) throws IOException {
    if (Stamp.of(file).map(before::equals).orElse(false)) {
      checked.put(file, before);
    } else {
      checked.remove(file);
    }
  }

  void forget(Path file) {
    checked.remove(file);
  }
}
