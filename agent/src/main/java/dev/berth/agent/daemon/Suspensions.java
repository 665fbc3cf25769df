package dev.berth.agent.daemon;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.berth.agent.files.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;

/** What an operator suspended — the whole agent or single containers — kept across restarts. */
final class Suspensions {
  private static final ObjectMapper MAPPER = JsonMapper.builder().build();

  record Saved(boolean all, Set<String> containers) {}

  private final Path file;
  private boolean all;
  private final Set<String> containers = new TreeSet<>();

  Suspensions(Path stateDir, boolean startSuspended) throws IOException {
    this.file = stateDir.resolve("suspended.json");
    if (Files.exists(file)) {
      Saved saved = MAPPER.readValue(file.toFile(), Saved.class);
      all = saved.all();
      containers.addAll(saved.containers());
    }
    all |= startSuspended;
  }

  synchronized boolean all() {
    return all;
  }

  synchronized Set<String> containers() {
    return Set.copyOf(containers);
  }

  synchronized void suspend(String container) throws IOException {
    if (container == null) {
      all = true;
    } else {
      containers.add(container);
    }
    save();
  }

  synchronized void resume(String container) throws IOException {
    if (container == null) {
      all = false;
    } else {
      containers.remove(container);
    }
    save();
  }

  private void save() throws IOException {
    AtomicFiles.write(file, MAPPER.writeValueAsBytes(new Saved(all, containers)));
  }
}
