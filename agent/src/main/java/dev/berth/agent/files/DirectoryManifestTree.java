package dev.berth.agent.files;

import dev.berth.reconciler.parse.YamlLimits;
import dev.berth.reconciler.source.ManifestFile;
import dev.berth.reconciler.source.ManifestTree;
import dev.berth.reconciler.source.PathKind;
import java.io.IOException;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * A manifest repository checked out in a directory. Hidden directories ({@code .git}) are skipped;
 * a symlink is followed only while it stays inside the directory.
 */
public final class DirectoryManifestTree implements ManifestTree {
  private final Path root;
  private final Path realRoot;
  private final YamlLimits limits;

  public DirectoryManifestTree(Path root, YamlLimits limits) throws IOException {
    this.root = root.toAbsolutePath().normalize();
    this.realRoot = this.root.toRealPath();
    this.limits = limits;
  }

  /** A manifest file found, with its size, or why it is not read. */
  private record Candidate(Path file, String path, long size, String refusal) {}

  /**
   * Refuses the whole directory, reading none of it, when its manifests are more or larger than the
   * limits for one revision allow; sizes are checked before anything is read.
   */
  @Override
  public List<ManifestFile> manifests() throws IOException {
    List<Path> found = new ArrayList<>();
    int[] count = {0};
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
              if (++count[0] <= limits.maxFiles()) {
                found.add(file); // beyond the limit only counted: the directory is refused
              }
            }
            return FileVisitResult.CONTINUE;
          }
        });
    found.sort(Comparator.comparing(this::relative));
    List<Candidate> candidates = new ArrayList<>(found.size());
    long total = 0;
    for (Path file : found) {
      Candidate candidate = inspect(file);
      candidates.add(candidate);
      total += candidate.refusal() == null ? candidate.size() : 0;
    }
    Optional<String> tooMuch = limits.repositoryRefusal(count[0], total);
    if (tooMuch.isPresent()) {
      String largest =
          candidates.stream()
              .filter(candidate -> candidate.refusal() == null)
              .max(Comparator.comparingLong(Candidate::size))
              .map(Candidate::path)
              .orElse(".");
      return List.of(ManifestFile.refused(largest, tooMuch.get()));
    }
    long remaining = limits.maxTotalBytes();
    List<ManifestFile> files = new ArrayList<>(candidates.size());
    for (Candidate candidate : candidates) {
      ManifestFile file = read(candidate, remaining);
      remaining -= file.content().length;
      files.add(file);
    }
    return files;
  }

  private Candidate inspect(Path file) throws IOException {
    String relative = relative(file);
    if (Files.isSymbolicLink(file)) {
      Path target;
      try {
        target = file.toRealPath();
      } catch (IOException e) {
        return new Candidate(file, relative, 0, "symlink to a missing file");
      }
      if (!target.startsWith(realRoot)) {
        return new Candidate(file, relative, 0, "symlink leads outside the repository; not read");
      }
    }
    if (!Files.isRegularFile(file)) {
      return new Candidate(file, relative, 0, "not a regular file");
    }
    long size = Files.size(file);
    return new Candidate(file, relative, size, limits.fileRefusal(size).orElse(null));
  }

  // Read with a bound as well: a file may grow after its size was taken.
  private ManifestFile read(Candidate candidate, long remaining) throws IOException {
    if (candidate.refusal() != null) {
      return ManifestFile.refused(candidate.path(), candidate.refusal());
    }
    return readBounded(
        candidate.file(), candidate.path(), Math.min(limits.maxFileBytes(), remaining));
  }

  /** The file's bytes, or its refusal if it holds more than {@code limit} bytes by now. */
  static ManifestFile readBounded(Path file, String path, long limit) throws IOException {
    try (SeekableByteChannel channel = Files.newByteChannel(file, StandardOpenOption.READ)) {
      return new ManifestFile(
          path, new ReadLimit((int) limit, "a manifest file").read(channel, path));
    } catch (ReadLimit.Exceeded e) {
      return ManifestFile.refused(
          path, "file grew while it was read, past the limit of " + limit + " bytes");
    }
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

  @Override
  public Optional<byte[]> read(String relativePath, int maxBytes) throws IOException {
    if (kindOf(relativePath) != PathKind.FILE) {
      throw new IOException(relativePath + " is not a file inside the repository");
    }
    Path real = root.resolve(relativePath).normalize().toRealPath();
    if (!Files.isRegularFile(real)) {
      throw new IOException(relativePath + " is not a regular file");
    }
    try (SeekableByteChannel channel = Files.newByteChannel(real, StandardOpenOption.READ)) {
      return Optional.of(new ReadLimit(maxBytes, "this file").read(channel, relativePath));
    } catch (ReadLimit.Exceeded e) {
      return Optional.empty();
    }
  }

  private String relative(Path file) {
    return root.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
  }
}
