package dev.berth.agent.files;

import dev.berth.reconciler.source.ManifestFile;
import dev.berth.reconciler.source.ManifestTree;
import dev.berth.reconciler.source.PathKind;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A manifest repository checked out in a directory. Hidden directories ({@code .git}) are skipped;
 * a symlink is followed only while it stays inside the directory.
 */
public final class DirectoryManifestTree implements ManifestTree {
  private final Path root;
  private final Path realRoot;
  private final long maxFileBytes;

  public DirectoryManifestTree(Path root, long maxFileBytes) throws IOException {
    this.root = root.toAbsolutePath().normalize();
    this.realRoot = this.root.toRealPath();
    this.maxFileBytes = maxFileBytes;
  }

  @Override
  public List<ManifestFile> manifests() throws IOException {
    List<Path> candidates = new ArrayList<>();
    Files.walkFileTree(
        root,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
            boolean hidden = !dir.equals(root) && dir.getFileName().toString().startsWith(".");
            return hidden ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
            String name = file.getFileName().toString();
            if (!name.startsWith(".") && (name.endsWith(".yaml") || name.endsWith(".yml"))) {
              candidates.add(file);
            }
            return FileVisitResult.CONTINUE;
          }
        });
    candidates.sort(Comparator.comparing(this::relative));
    List<ManifestFile> files = new ArrayList<>(candidates.size());
    for (Path file : candidates) {
      files.add(read(file));
    }
    return files;
  }

  private ManifestFile read(Path file) throws IOException {
    String relative = relative(file);
    if (Files.isSymbolicLink(file)) {
      Path target;
      try {
        target = file.toRealPath();
      } catch (IOException e) {
        return ManifestFile.refused(relative, "symlink to a missing file");
      }
      if (!target.startsWith(realRoot)) {
        return ManifestFile.refused(relative, "symlink leads outside the repository; not read");
      }
    }
    if (!Files.isRegularFile(file)) {
      return ManifestFile.refused(relative, "not a regular file");
    }
    long size = Files.size(file);
    if (size > maxFileBytes) {
      return ManifestFile.refused(
          relative,
          "file is "
              + size
              + " bytes, more than the limit of "
              + maxFileBytes
              + " bytes for a manifest file");
    }
    return new ManifestFile(relative, Files.readAllBytes(file));
  }

  @Override
  public PathKind kindOf(String relativePath) throws IOException {
    Path path = root.resolve(relativePath).normalize();
    if (!path.startsWith(root)) {
      return PathKind.OUTSIDE;
    }
    if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
      return PathKind.MISSING;
    }
    Path real;
    try {
      real = path.toRealPath();
    } catch (IOException e) {
      return PathKind.MISSING; // a dangling symlink
    }
    if (!real.startsWith(realRoot)) {
      return PathKind.OUTSIDE;
    }
    return Files.isDirectory(real) ? PathKind.DIRECTORY : PathKind.FILE;
  }

  private String relative(Path file) {
    return root.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
  }
}
