package dev.berth.agent.files;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes a file so that a reader, or the next boot after a crash, sees the old content or the new,
 * never half: temp file in the same directory, fsync, rename over, fsync of the directory.
 */
public final class AtomicFiles {
  private AtomicFiles() {}

  private static final Set<PosixFilePermission> PUBLIC =
      PosixFilePermissions.fromString("rw-r--r--");
  private static final Set<PosixFilePermission> PRIVATE =
      PosixFilePermissions.fromString("rw-------");
  private static final Set<PosixFilePermission> PRIVATE_DIRECTORY =
      PosixFilePermissions.fromString("rwx------");

  /** Writes {@code content}, readable by everyone (mode 0644), as systemd's files are. */
  public static void write(Path target, byte[] content) throws IOException {
    write(target, content, PUBLIC);
  }

  /**
   * Writes {@code content} for root alone (mode 0600), in a directory for root alone: its own and
   * those up to {@code top} that it creates (mode 0700).
   */
  public static void writePrivate(Path target, byte[] content, Path top) throws IOException {
    createPrivateDirectories(target.getParent(), top);
    write(target, content, PRIVATE);
  }

  private static void createPrivateDirectories(Path dir, Path top) throws IOException {
    if (Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    if (!dir.equals(top) && dir.startsWith(top)) {
      createPrivateDirectories(dir.getParent(), top);
    } else {
      Files.createDirectories(dir.getParent());
    }
    try {
      Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PRIVATE_DIRECTORY));
    } catch (FileAlreadyExistsException e) {
      // made meanwhile; it is checked below like any other
    }
    // The umask may have taken bits away from the mode, never added any: set it as meant.
    Files.setPosixFilePermissions(dir, PRIVATE_DIRECTORY);
  }

  private static void write(Path target, byte[] content, Set<PosixFilePermission> mode)
      throws IOException {
    Path dir = target.getParent();
    Files.createDirectories(dir);
    Path temp =
        dir.resolve(
            "."
                + target.getFileName()
                + ".berth-"
                + Long.toHexString(ThreadLocalRandom.current().nextLong()));
    try {
      try (FileChannel channel =
          FileChannel.open(
              temp,
              Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
              PosixFilePermissions.asFileAttribute(PRIVATE))) {
        ByteBuffer buffer = ByteBuffer.wrap(content);
        while (buffer.hasRemaining()) {
          channel.write(buffer);
        }
        channel.force(true);
      }
      Files.setPosixFilePermissions(temp, mode);
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(temp);
    }
    syncDirectory(dir);
  }

  /** Makes a rename or deletion in {@code dir} durable. */
  public static void syncDirectory(Path dir) throws IOException {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    }
  }
}
