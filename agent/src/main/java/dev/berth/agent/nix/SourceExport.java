package dev.berth.agent.nix;

import dev.berth.agent.source.SourceFiles;
import dev.berth.agent.source.SourceFiles.Kind;
import dev.berth.agent.source.SourceFiles.SourceFile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * A revision's files written out for a build, read-only, in a directory only root can reach: never
 * a work tree someone can edit while Nix evaluates it. Symlinks are kept only where they stay
 * inside the tree, so that an evaluation cannot be led to the host's files through the repository.
 */
final class SourceExport {
  private SourceExport() {}

  static void write(SourceFiles files, Path target) throws IOException {
    delete(target);
    Files.createDirectories(target);
    java.util.List<Path> links = new java.util.ArrayList<>();
    for (SourceFile file : files.list()) {
      Path path = target.resolve(file.path()).normalize();
      if (!path.startsWith(target)) {
        continue;
      }
      Files.createDirectories(path.getParent());
      if (file.kind() == Kind.SYMLINK) {
        if (staysInside(file.path(), file.id())) {
          links.add(Files.createSymbolicLink(path, Path.of(file.id())));
        }
        continue;
      }
      try (InputStream in = files.open(file)) {
        Files.copy(in, path);
      }
      Files.setPosixFilePermissions(
          path,
          PosixFilePermissions.fromString(
              file.kind() == Kind.EXECUTABLE ? "r-xr-xr-x" : "r--r--r--"));
    }
    // Each link stays inside on its own; through one another they might not (l -> d/../..).
    Path realTarget = target.toRealPath();
    for (Path link : links) {
      try {
        if (!link.toRealPath().startsWith(realTarget)) {
          Files.delete(link);
        }
      } catch (java.nio.file.NoSuchFileException dangling) {
        // A link to nothing leads nowhere.
      }
    }
    readOnlyDirectories(target);
  }

  /** Whether a relative link at {@code path} to {@code target} resolves inside the tree. */
  static boolean staysInside(String path, String target) {
    if (target.startsWith("/")) {
      return false;
    }
    Path parent = Path.of(path).getParent();
    Path root = Path.of("/tree");
    Path resolved = (parent == null ? root : root.resolve(parent)).resolve(target).normalize();
    return resolved.startsWith(root) && !resolved.equals(root);
  }

  private static void readOnlyDirectories(Path target) throws IOException {
    Files.walkFileTree(
        target,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("r-xr-xr-x"));
            return FileVisitResult.CONTINUE;
          }
        });
  }

  /** Removes an export, read-only as it is. */
  static void delete(Path target) throws IOException {
    if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    Files.walkFileTree(
        target,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs)
              throws IOException {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
              throws IOException {
            Files.delete(file);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
            Files.delete(dir);
            return FileVisitResult.CONTINUE;
          }
        });
  }
}
