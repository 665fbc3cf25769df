package dev.berth.agent.nix;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.agent.files.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Which system each set of inputs built, kept across restarts so that an agent that starts again
 * does not evaluate every NixOS system anew. A damaged file is an empty cache, not an error.
 */
final class BuildCache {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_ENTRIES = 256;

  private final Path file;
  private Map<String, String> systems;

  BuildCache(Path file) {
    this.file = file;
  }

  synchronized Optional<String> system(String key) {
    return Optional.ofNullable(load().get(key));
  }

  synchronized void put(String key, String system) throws IOException {
    Map<String, String> all = load();
    all.remove(key);
    all.put(key, system); // newest last: the oldest go first
    while (all.size() > MAX_ENTRIES) {
      all.remove(all.keySet().iterator().next());
    }
    Files.createDirectories(file.getParent());
    AtomicFiles.write(file, JSON.writeValueAsString(all).getBytes(StandardCharsets.UTF_8));
  }

  private Map<String, String> load() {
    if (systems == null) {
      systems = new LinkedHashMap<>();
      try {
        if (Files.exists(file)) {
          systems.putAll(
              JSON.readValue(file.toFile(), new TypeReference<Map<String, String>>() {}));
        }
      } catch (IOException e) {
        systems.clear();
      }
    }
    return systems;
  }
}
