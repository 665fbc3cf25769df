package dev.berth.agent.files;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * What a full copy of a directory tree needs and what its file system has: the bytes of its regular
 * files (a file with several hard links once, as machined's copy keeps hard links), and the space
 * that an unprivileged writer could still use there ({@code statvfs}'s {@code f_bavail}).
 */
public final class TreeFootprint {
  private TreeFootprint() {}

  /** The bytes a copy of {@code tree} writes; symbolic links are not followed. */
  public static long bytes(Path tree) {
    long[] total = {0};
    Set<Object> seen = new HashSet<>();
    try {
      Files.walkFileTree(
          tree,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
              if (attrs.isRegularFile() && (attrs.fileKey() == null || seen.add(attrs.fileKey()))) {
                total[0] += attrs.size();
              }
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException e) {
      throw new UncheckedIOException("cannot measure " + tree + ": " + e.getMessage(), e);
    }
    return total[0];
  }

  /** The free space of the file system that holds {@code dir}. */
  public static long usable(Path dir) {
    try {
      return Files.getFileStore(dir).getUsableSpace();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the free space of " + dir, e);
    }
  }

  /** The type of the file system that holds {@code dir}, such as {@code btrfs} or {@code ext4}. */
  public static String fileSystem(Path dir) {
    try {
      return Files.getFileStore(dir).type();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the file system of " + dir, e);
    }
  }

  /** {@code bytes} for a person: "512 B", "3.4 MiB", "1.0 GiB". */
  public static String human(long bytes) {
    if (bytes < 1024) {
      return bytes + " B";
    }
    String[] units = {"KiB", "MiB", "GiB", "TiB"};
    double value = bytes;
    int unit = -1;
    while (value >= 1024 && unit < units.length - 1) {
      value /= 1024;
      unit++;
    }
    return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
  }
}
