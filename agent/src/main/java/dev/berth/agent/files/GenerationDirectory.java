package dev.berth.agent.files;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.berth.reconciler.generation.Generation;
import dev.berth.reconciler.generation.GenerationStore;
import java.io.IOException;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The generations as files: {@code /var/lib/berth/generations/NAME/N.json}, each written
 * atomically, the directory root-only ({@code 0700}: the copies hold sealed credentials and the
 * units' settings). A container's history is read once and then kept, since only this store changes
 * it.
 */
public final class GenerationDirectory implements GenerationStore {
  private static final ObjectMapper MAPPER =
      JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

  // A generation holds a container's rendered files: kilobytes, sealed credentials included.
  private static final ReadLimit GENERATION = new ReadLimit(8 << 20, "a generation of berth's");

  private final Path dir;
  private final Map<String, List<Generation>> cache = new ConcurrentHashMap<>();

  public GenerationDirectory(Path stateDir) {
    this.dir = stateDir.resolve("generations");
  }

  @Override
  public synchronized List<Generation> history(String container) throws IOException {
    List<Generation> cached = cache.get(container);
    if (cached != null) {
      return cached;
    }
    List<Generation> read = new ArrayList<>();
    Path containerDir = dir.resolve(container);
    if (Files.isDirectory(containerDir, LinkOption.NOFOLLOW_LINKS)) {
      try (DirectoryStream<Path> files = Files.newDirectoryStream(containerDir, "*.json")) {
        for (Path file : files) {
          read.add(read(file));
        }
      }
    }
    read.sort(Comparator.comparingInt(Generation::number));
    List<Generation> history = List.copyOf(read);
    cache.put(container, history);
    return history;
  }

  @Override
  public synchronized void save(String container, Generation generation) throws IOException {
    Path containerDir = containerDir(container);
    AtomicFiles.write(
        containerDir.resolve(generation.number() + ".json"), MAPPER.writeValueAsBytes(generation));
    cache.remove(container);
  }

  @Override
  public synchronized void release(String container, int number) throws IOException {
    Files.deleteIfExists(dir.resolve(container).resolve(number + ".json"));
    cache.remove(container);
  }

  private Path containerDir(String container) throws IOException {
    for (Path path : List.of(dir, dir.resolve(container))) {
      if (!Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
        Files.createDirectories(path);
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwx------"));
      }
    }
    return dir.resolve(container);
  }

  private static Generation read(Path file) throws IOException {
    try (SeekableByteChannel channel =
        Files.newByteChannel(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
      return MAPPER.readValue(GENERATION.read(channel, file), Generation.class);
    } catch (NoSuchFileException e) {
      throw e;
    } catch (IOException e) {
      throw new IOException("cannot read berth's generation " + file + ": " + e.getMessage(), e);
    }
  }
}
