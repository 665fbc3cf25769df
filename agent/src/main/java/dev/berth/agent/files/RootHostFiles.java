package dev.berth.agent.files;

import dev.berth.reconciler.apply.HostFiles;
import dev.berth.reconciler.render.HostFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Optional;

/**
 * berth's files under a host root, written atomically. Inside a container's tree a symlink could
 * point anywhere on the host, so there no part of a path berth writes may be a symlink.
 */
public final class RootHostFiles implements HostFiles {
  static final String CONTAINER_NETWORK_SUFFIX = "etc/systemd/network/20-berth-host0.network";

  private final Path root;
  private final RootInstalledFiles reader;
  private final UnitDirectory units;

  /** The files under {@code root}, unit files where this host lets berth write them. */
  public RootHostFiles(Path root) {
    this(root, UnitDirectory.of(root));
  }

  public RootHostFiles(Path root, UnitDirectory units) {
    this.root = root.toAbsolutePath().normalize();
    this.reader = new RootInstalledFiles(this.root);
    this.units = units;
  }

  @Override
  public Optional<String> read(String path) throws IOException {
    return reader.read(units.physical(path));
  }

  @Override
  public List<String> list(String directory) throws IOException {
    return reader.list(units.physical(directory));
  }

  @Override
  public void write(HostFile file) throws IOException {
    Path target = resolve(file.path());
    if (file.path().endsWith(CONTAINER_NETWORK_SUFFIX)) {
      Path treeRoot =
          resolve(
              file.path().substring(0, file.path().length() - CONTAINER_NETWORK_SUFFIX.length()));
      refuseSymlinks(treeRoot, target);
    }
    AtomicFiles.write(target, file.content().getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public void delete(String path) throws IOException {
    Path target = resolve(path);
    if (Files.deleteIfExists(target)) {
      AtomicFiles.syncDirectory(target.getParent());
    }
  }

  @Override
  public boolean exists(String path) {
    return Files.exists(resolve(path), LinkOption.NOFOLLOW_LINKS);
  }

  @Override
  public void deleteTree(String path) throws IOException {
    Path tree = resolve(path);
    if (!Files.exists(tree, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    // walkFileTree does not follow symlinks: a link inside the tree is removed, not what it points
    // at.
    Files.walkFileTree(
        tree,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
              throws IOException {
            Files.delete(file);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
            if (e != null) {
              throw e;
            }
            Files.delete(dir);
            return FileVisitResult.CONTINUE;
          }
        });
  }

  private Path resolve(String path) {
    Path target = root.resolve(units.physical(path)).normalize();
    if (!target.startsWith(root) || target.equals(root)) {
      throw new IllegalArgumentException("refusing a path outside the root: " + path);
    }
    return target;
  }

  /**
   * Each existing part of {@code target} below {@code treeRoot} must be a real directory or file.
   */
  static void refuseSymlinks(Path treeRoot, Path target) throws IOException {
    Path current = treeRoot;
    for (Path part : treeRoot.relativize(target)) {
      current = current.resolve(part);
      if (Files.isSymbolicLink(current)) {
        throw new IOException(
            "refusing to write through the symlink " + current + " inside a container's tree");
      }
    }
  }
}
