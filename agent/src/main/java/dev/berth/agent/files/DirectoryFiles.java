package dev.berth.agent.files;

import dev.berth.agent.source.SourceFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;

/**
 * The files of a manifest directory ({@code berth apply DIR}), a Git work tree's {@code .git} left
 * out.
 */
public final class DirectoryFiles implements SourceFiles {
  private final Path root;

  public DirectoryFiles(Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  @Override
  public List<SourceFile> list() throws IOException {
    List<SourceFile> files = new ArrayList<>();
    Files.walkFileTree(
        root,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
            return dir.getFileName() != null && dir.getFileName().toString().equals(".git")
                ? FileVisitResult.SKIP_SUBTREE
                : FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
              throws IOException {
            String path = root.relativize(file).toString();
            if (attrs.isSymbolicLink()) {
              files.add(
                  new SourceFile(path, Kind.SYMLINK, Files.readSymbolicLink(file).toString()));
            } else if (attrs.isRegularFile()) {
              files.add(
                  new SourceFile(
                      path, Files.isExecutable(file) ? Kind.EXECUTABLE : Kind.FILE, sha256(file)));
            }
            return FileVisitResult.CONTINUE;
          }
        });
    files.sort(Comparator.comparing(SourceFile::path));
    return files;
  }

  @Override
  public InputStream open(SourceFile file) throws IOException {
    return Files.newInputStream(root.resolve(file.path()));
  }

  private static String sha256(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      byte[] buffer = new byte[64 * 1024];
      for (int n; (n = in.read(buffer)) > 0; ) {
        digest.update(buffer, 0, n);
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
