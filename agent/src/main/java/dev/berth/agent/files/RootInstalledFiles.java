package dev.berth.agent.files;

import dev.berth.reconciler.plan.InstalledFiles;
import java.io.IOException;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
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

  /**
   * Refuses, with an {@link IOException} naming the file, a file larger than {@link
   * ReadLimit#HOST_FILE} and, inside a container's tree, a path through a symlink.
   */
  @Override
  public Optional<String> read(String path) throws IOException {
    Optional<String> tree = ContainerTree.rootOf(path);
    Optional<byte[]> content =
        tree.isPresent()
            ? ContainerTree.read(
                root.resolve(tree.get()), Path.of(ContainerTree.NETWORK_FILE), ReadLimit.HOST_FILE)
            : readOwn(root.resolve(path));
    return content.map(bytes -> new String(bytes, StandardCharsets.UTF_8));
  }

  private static Optional<byte[]> readOwn(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try (SeekableByteChannel channel = Files.newByteChannel(file, StandardOpenOption.READ)) {
      return Optional.of(ReadLimit.HOST_FILE.read(channel, file));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
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
