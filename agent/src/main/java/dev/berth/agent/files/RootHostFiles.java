package dev.berth.agent.files;

import dev.berth.reconciler.apply.HostFiles;
import dev.berth.reconciler.render.HostFile;
import dev.berth.reconciler.render.HostPaths;
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
 * point anywhere on the host, so there no part of a path berth reads, writes or deletes may be a
 * symlink ({@link ContainerTree}).
 */
public final class RootHostFiles implements HostFiles {
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
    byte[] content = file.content().getBytes(StandardCharsets.UTF_8);
    Optional<String> tree = ContainerTree.rootOf(file.path());
    if (tree.isPresent()) {
      ContainerTree.write(resolve(tree.get()), Path.of(ContainerTree.NETWORK_FILE), content);
    } else if (HostPaths.isCredential(file.path())) {
      AtomicFiles.writePrivate(target, content, resolve(HostPaths.CREDENTIALS_DIR));
    } else {
      AtomicFiles.write(target, content);
    }
  }

  @Override
  public void delete(String path) throws IOException {
    Path target = resolve(path);
    Optional<String> tree = ContainerTree.rootOf(path);
    if (tree.isPresent()) {
      ContainerTree.delete(resolve(tree.get()), Path.of(ContainerTree.NETWORK_FILE));
    } else if (Files.deleteIfExists(target)) {
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
}
