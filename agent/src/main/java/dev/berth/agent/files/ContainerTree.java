package dev.berth.agent.files;

import java.io.IOException;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The one place where berth reads and writes inside a container's own tree, which it does not own:
 * whoever runs in the container may put anything there, a symlink to anywhere on the host included.
 * No part of such a path below the tree's root may be a symlink.
 */
final class ContainerTree {
  /** The file berth keeps inside a container's tree, relative to the tree's root. */
  static final String NETWORK_FILE = "etc/systemd/network/20-berth-host0.network";

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
          throw symlink("read", at);
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

  // Where the file system offers no openat (not on Linux): check each part, then open no-follow.
  private static Optional<byte[]> readChecked(Path treeRoot, Path target, ReadLimit limit)
      throws IOException {
    refuseSymlinks(treeRoot, target, "read");
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
  static void refuseSymlinks(Path treeRoot, Path target, String verb) throws IOException {
    Path current = treeRoot;
    for (Path part : treeRoot.relativize(target)) {
      current = current.resolve(part);
      if (Files.isSymbolicLink(current)) {
        throw symlink(verb, current);
      }
    }
  }

  private static IOException symlink(String verb, Path link) {
    return new IOException(
        "refusing to " + verb + " through the symlink " + link + " inside a container's tree");
  }
}
