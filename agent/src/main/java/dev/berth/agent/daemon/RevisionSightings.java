package dev.berth.agent.daemon;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.berth.agent.files.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * When this host first saw each recent revision (kept across restarts in {@code
 * rollout-sightings.json}): a rollout's jitter counts from that moment, so an agent that restarts
 * does not wait its jitter again, nor skip it. Only the newest few revisions are kept.
 */
final class RevisionSightings {
  static final int KEPT = 8;
  private static final ObjectMapper MAPPER = JsonMapper.builder().build();

  private final Path file;
  private final Map<String, Instant> seen = new LinkedHashMap<>();

  /** Sightings kept in {@code stateDir}; a damaged file is forgotten (the jitter starts again). */
  RevisionSightings(Path stateDir) throws IOException {
    this.file = stateDir.resolve("rollout-sightings.json");
    if (Files.isRegularFile(file) && Files.size(file) < 64 * 1024) {
      try {
        Map<?, ?> saved = MAPPER.readValue(file.toFile(), Map.class);
        saved.forEach(
            (revision, epochSecond) -> {
              if (revision instanceof String r && epochSecond instanceof Number n) {
                seen.put(r, Instant.ofEpochMilli(n.longValue()));
              }
            });
      } catch (JsonProcessingException e) {
        seen.clear();
      }
    }
  }

  /** When {@code revision} was first seen: {@code now} the first time it is asked for. */
  synchronized Instant firstSeen(String revision, Instant now) throws IOException {
    Instant known = seen.get(revision);
    if (known != null) {
      return known;
    }
    Instant at = Instant.ofEpochMilli(now.toEpochMilli());
    seen.put(revision, at);
    while (seen.size() > KEPT) {
      seen.remove(seen.keySet().iterator().next());
    }
    Map<String, Long> saved = new LinkedHashMap<>();
    seen.forEach((r, when) -> saved.put(r, when.toEpochMilli()));
    AtomicFiles.write(file, MAPPER.writeValueAsBytes(saved));
    return at;
  }
}
