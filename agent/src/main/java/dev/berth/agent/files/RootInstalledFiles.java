package dev.berth.agent.files;

import dev.berth.reconciler.plan.InstalledFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The files under a root directory: {@code /} for the live host, or a directory standing for one.
 */
public final class RootInstalledFiles implements InstalledFiles {
  private final Path root;

  public RootInstalledFiles(Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  @Override
  public Optional<String> read(String path) throws IOException {
    Path file = root.resolve(path);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    return Optional.of(new String(Files.readAllBytes(file), StandardCharsets.UTF_8));
  }

  @Override
  public List<String> list(String directory) throws IOException {
    Path dir = root.resolve(directory);
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> entries = Files.list(dir)) {
      return entries
          .filter(Files::isRegularFile)
          .map(p -> p.getFileName().toString())
          .sorted()
          .toList();
    }
  }
}
