package dev.berth.agent.files;

import dev.berth.reconciler.render.HostPaths;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The one place where berth reads and writes inside a container's own tree, which it does not own:
 * whoever runs in the container may put anything there, a symlink to anywhere on the host included.
 * No part of such a path below the tree's root may be a symlink.
 */
public final class ContainerTree {
  private static final String CONTAINER = "a container's tree";

  /** The file berth keeps inside a container's tree, relative to the tree's root. */
  static final String NETWORK_FILE = HostPaths.HOST0_NETWORK;

  private ContainerTree() {}

  /** The root of the container's tree {@code path} lies in, if it is a path berth keeps there. */
  static Optional<String> rootOf(String path) {
    if (!path.endsWith("/" + NETWORK_FILE)) {
      return Optional.empty();
    }
    return Optional.of(path.substring(0, path.length() - NETWORK_FILE.length() - 1));
  }

  /**
   * The content of {@code relative} below {@code treeRoot}, empty if it is absent or not a regular
   * file. Each directory is opened relative to its parent without following symlinks ({@code
   * openat} with {@code O_NOFOLLOW}), so a symlink swapped in between two checks is not followed
   * either.
   */
  static Optional<byte[]> read(Path treeRoot, Path relative, ReadLimit limit) throws IOException {
    // Most containers have no such file: one stat says so, where the walk below costs a dozen
    // system calls a container and pass. Absent even through a symlink means nothing to read;
    // whatever is there is read the careful way.
    if (!treeRoot.resolve(relative).toFile().exists()) {
      return Optional.empty();
    }
    List<Path> parts = new ArrayList<>();
    relative.forEach(parts::add);
    List<DirectoryStream<Path>> opened = new ArrayList<>();
    try {
      DirectoryStream<Path> top = Files.newDirectoryStream(treeRoot);
      opened.add(top);
      if (!(top instanceof SecureDirectoryStream<Path> directory)) {
        return readChecked(treeRoot, treeRoot.resolve(relative), limit);
      }
      Path at = treeRoot;
      for (int i = 0; i < parts.size(); i++) {
        Path part = parts.get(i);
        at = at.resolve(part);
        BasicFileAttributes attributes;
        try {
          attributes =
              directory
                  .getFileAttributeView(
                      part, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                  .readAttributes();
        } catch (NoSuchFileException e) {
          return Optional.empty();
        }
        if (attributes.isSymbolicLink()) {
          throw symlink("read", at, CONTAINER);
        }
        if (i == parts.size() - 1) {
          if (!attributes.isRegularFile()) {
            return Optional.empty();
          }
          try (SeekableByteChannel channel =
              directory.newByteChannel(
                  part, Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS))) {
            return Optional.of(limit.read(channel, at));
          }
        }
        if (!attributes.isDirectory()) {
          return Optional.empty();
        }
        directory = directory.newDirectoryStream(part, LinkOption.NOFOLLOW_LINKS);
        opened.add(directory);
      }
      return Optional.empty();
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } finally {
      for (DirectoryStream<Path> stream : opened) {
        stream.close();
      }
    }
  }

  /**
   * Writes {@code content} to {@code relative} below {@code treeRoot} atomically (temp file, fsync,
   * rename over, fsync of the directory), every step relative to a directory opened without
   * following symlinks: a symlink swapped in while berth writes makes the write fail, never land
   * elsewhere on the host. Missing directories are created, each opened no-follow right after.
   */
  static void write(Path treeRoot, Path relative, byte[] content) throws IOException {
    Files.createDirectories(treeRoot); // the tree's root is where berth keeps machines, not in one
    write(treeRoot, relative, content, CONTAINER);
  }

  /**
   * The same for any directory that someone else may change under berth's hands, {@code place}
   * naming it in the refusal ("the output directory", say); {@code root} itself must exist.
   */
  public static void write(Path root, Path relative, byte[] content, String place)
      throws IOException {
    Path treeRoot = root;
    try (Opened parent = openParent(treeRoot, relative, "write", true, place)) {
      if (parent.directory == null) {
        refuseSymlinks(treeRoot, treeRoot.resolve(relative), "write", place);
        AtomicFiles.write(treeRoot.resolve(relative), content);
        return;
      }
      SecureDirectoryStream<Path> directory = parent.directory;
      Path name = relative.getFileName();
      Path temp =
          Path.of(
              "." + name + ".berth-" + Long.toHexString(ThreadLocalRandom.current().nextLong()));
      try {
        try (SeekableByteChannel channel =
            directory.newByteChannel(
                temp,
                Set.of(
                    StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE,
                    LinkOption.NOFOLLOW_LINKS),
                PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rw-r--r--")))) {
          ByteBuffer buffer = ByteBuffer.wrap(content);
          while (buffer.hasRemaining()) {
            channel.write(buffer);
          }
          if (channel instanceof FileChannel file) {
            file.force(true);
          }
        }
        directory
            .getFileAttributeView(temp, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
            .setPermissions(PosixFilePermissions.fromString("rw-r--r--"));
        refuseSymlinkAt(directory, name, parent.path.resolve(name), "write", place);
        directory.move(temp, directory, name);
      } finally {
        try {
          directory.deleteFile(temp);
        } catch (NoSuchFileException gone) {
          // renamed over the target: the usual case
        }
      }
      parent.sync();
    }
  }

  /**
   * Deletes {@code relative} below {@code treeRoot} if it is there, relative to its directory
   * opened without following symlinks ({@code unlinkat}): a planted symlink is removed itself,
   * never what it points at. Returns whether something was deleted.
   */
  static boolean delete(Path treeRoot, Path relative) throws IOException {
    try (Opened parent = openParent(treeRoot, relative, "delete", false, CONTAINER)) {
      if (parent.missing) {
        return false;
      }
      if (parent.directory == null) {
        refuseSymlinks(treeRoot, treeRoot.resolve(relative), "delete", CONTAINER);
        return Files.deleteIfExists(treeRoot.resolve(relative));
      }
      try {
        parent.directory.deleteFile(relative.getFileName());
      } catch (NoSuchFileException e) {
        return false;
      }
      parent.sync();
      return true;
    }
  }

  /** The directory {@code relative} lies in, opened part by part without following symlinks. */
  private static Opened openParent(
      Path treeRoot, Path relative, String verb, boolean create, String place) throws IOException {
    Opened opened = new Opened();
    try {
      DirectoryStream<Path> top = Files.newDirectoryStream(treeRoot);
      opened.streams.add(top);
      if (!(top instanceof SecureDirectoryStream<Path> directory)) {
        return opened;
      }
      Path at = treeRoot;
      Path parentPath = relative.getParent();
      if (parentPath != null) {
        for (Path part : parentPath) {
          at = at.resolve(part);
          refuseSymlinkAt(directory, part, at, verb, place);
          try {
            directory = directory.newDirectoryStream(part, LinkOption.NOFOLLOW_LINKS);
          } catch (NoSuchFileException e) {
            if (!create) {
              opened.missing = true;
              return opened;
            }
            try {
              Files.createDirectory(at);
            } catch (FileAlreadyExistsException raced) {
              // made meanwhile: opened no-follow below like any other
            }
            directory = directory.newDirectoryStream(part, LinkOption.NOFOLLOW_LINKS);
          }
          opened.streams.add(directory);
        }
      }
      opened.directory = directory;
      opened.path = at;
      return opened;
    } catch (IOException | RuntimeException e) {
      opened.close();
      throw e;
    }
  }

  // Opening a symlink with O_NOFOLLOW fails with a bare ELOOP; this names the link instead.
  private static void refuseSymlinkAt(
      SecureDirectoryStream<Path> directory, Path part, Path at, String verb, String place)
      throws IOException {
    try {
      if (directory
          .getFileAttributeView(part, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
          .readAttributes()
          .isSymbolicLink()) {
        throw symlink(verb, at, place);
      }
    } catch (NoSuchFileException absent) {
      // nothing there yet
    }
  }

  /** The opened directories of a path, innermost last; closing closes them all. */
  private static final class Opened implements AutoCloseable {
    final List<DirectoryStream<Path>> streams = new ArrayList<>();
    SecureDirectoryStream<Path> directory;
    Path path;
    boolean missing;

    /** Makes a rename or deletion in the innermost directory durable. */
    void sync() throws IOException {
      try (SeekableByteChannel channel =
          directory.newByteChannel(
              Path.of("."), Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS))) {
        if (channel instanceof FileChannel file) {
          file.force(true);
        }
      }
    }

    @Override
    public void close() throws IOException {
      for (DirectoryStream<Path> stream : streams) {
        stream.close();
      }
    }
  }

  // Where the file system offers no openat (not on Linux): check each part, then open no-follow.
  private static Optional<byte[]> readChecked(Path treeRoot, Path target, ReadLimit limit)
      throws IOException {
    refuseSymlinks(treeRoot, target, "read", CONTAINER);
    if (!Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS)) {
      return Optional.empty();
    }
    try (SeekableByteChannel channel =
        Files.newByteChannel(target, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
      return Optional.of(limit.read(channel, target));
    }
  }

  /**
   * Each existing part of {@code target} below {@code treeRoot} must be a real directory or file;
   * {@code verb} says what berth was about to do, for the message.
   */
  private static void refuseSymlinks(Path treeRoot, Path target, String verb, String place)
      throws IOException {
    Path current = treeRoot;
    for (Path part : treeRoot.relativize(target)) {
      current = current.resolve(part);
      if (Files.isSymbolicLink(current)) {
        throw symlink(verb, current, place);
      }
    }
  }

  private static IOException symlink(String verb, Path link, String place) {
    return new IOException(
        "refusing to " + verb + " through the symlink " + link + " inside " + place);
  }
}
