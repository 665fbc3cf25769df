package dev.berth.agent.images;

import dev.berth.agent.files.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The {@link RootRecord}s of a host's containers, one file per container in berth's image directory
 * ({@code /var/lib/berth/images/roots/NAME}), each replaced atomically: the agent's own record,
 * outside the roots that the containers could write to.
 */
final class RootRecords {
  private final Path dir;

  RootRecords(Path dir) {
    this.dir = dir;
  }

  RootRecord read(String name) throws IOException {
    Path file = dir.resolve(name);
    return Files.isRegularFile(file)
        ? RootRecord.parse(Files.readString(file, StandardCharsets.UTF_8))
        : RootRecord.NONE;
  }

  void write(String name, RootRecord record) throws IOException {
    if (record.equals(RootRecord.NONE)) {
      delete(name);
      return;
    }
    AtomicFiles.write(dir.resolve(name), record.text().getBytes(StandardCharsets.UTF_8));
  }

  void delete(String name) throws IOException {
    if (Files.deleteIfExists(dir.resolve(name))) {
      AtomicFiles.syncDirectory(dir);
    }
  }

  /** The containers with a record; a write's temporary file (a dot name) is none. */
  List<String> names() throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .map(file -> file.getFileName().toString())
          .filter(name -> !name.startsWith("."))
          .sorted()
          .toList();
    }
  }
}
