package dev.berth.reconciler.apply;

import dev.berth.reconciler.generation.Generation;
import dev.berth.reconciler.generation.GenerationOutcome;
import dev.berth.reconciler.generation.GenerationStore;
import dev.berth.reconciler.generation.Retention;
import dev.berth.reconciler.model.Container;
import dev.berth.reconciler.pass.ContainerDecision;
import dev.berth.reconciler.plan.ActionClass;
import dev.berth.reconciler.render.ContainerFiles;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A pass's side of the generations (docs/rollback.md): before a container's files change it keeps
 * what was installed (and records it as the first generation of a container that has none), and
 * after the activation it records the new generation as good, failed or rolled back, releasing what
 * retention no longer keeps.
 */
final class GenerationKeeper {
  private final GenerationStore store;
  private final HostFiles files;
  private final String revision;
  private final Clock clock;
  private final Map<String, Map<String, String>> installed = new ConcurrentHashMap<>();

  GenerationKeeper(GenerationStore store, HostFiles files, String revision, Clock clock) {
    this.store = store;
    this.files = files;
    this.revision = revision;
    this.clock = clock;
  }

  /** The actions that activate new files: each makes a generation. */
  static boolean activates(ActionClass action) {
    return switch (action) {
      case CREATE, REBUILD, RESTART, RELOAD, LIVE -> true;
      default -> false;
    };
  }

  /**
   * Before {@code desired} is written: keeps the files installed now (all the container's paths
   * that exist), and, for a container with berth's files but no generation yet, records them as its
   * first, good generation: the target of a rollback of this very activation.
   */
  void beforeWrite(ContainerDecision decision, ContainerFiles desired) throws IOException {
    if (!activates(decision.action())) {
      return;
    }
    String name = decision.name();
    Map<String, String> now = new TreeMap<>();
    List<String> paths = new ArrayList<>();
    desired.files().values().forEach(file -> paths.add(file.path()));
    paths.addAll(files.credentials(name));
    for (String path : paths) {
      files.read(path).ifPresent(content -> now.put(path, content));
    }
    installed.put(name, now);
    if (now.containsKey(desired.nspawn().path()) && store.history(name).isEmpty()) {
      store.save(
          name,
          new Generation(
              1,
              "",
              clock.instant().toString(),
              ActionClass.NONE,
              GenerationOutcome.GOOD,
              "the files berth found installed when it first recorded generations",
              ContainerFiles.digest(now),
              now,
              null,
              null));
    }
  }

  /** The files installed before this pass changed them, if it did. */
  Optional<Map<String, String>> installedBefore(String name) {
    return Optional.ofNullable(installed.get(name));
  }

  /** The generation a rollback of {@code name} returns to: its last good one. */
  Optional<Generation> target(String name) throws IOException {
    return Retention.lastGood(store.history(name));
  }

  /** The number the next generation of {@code name} gets. */
  int next(String name) throws IOException {
    List<Generation> history = store.history(name);
    return history.isEmpty() ? 1 : history.get(history.size() - 1).number() + 1;
  }

  /**
   * Records the activation of {@code desired} as generation {@link #next}, ended as {@code
   * outcome}, and releases the generations retention no longer keeps.
   */
  Generation record(
      ContainerDecision decision,
      Container container,
      ContainerFiles desired,
      GenerationOutcome outcome,
      String message,
      String snapshot)
      throws IOException {
    String name = decision.name();
    Generation generation =
        new Generation(
            next(name),
            revision,
            clock.instant().toString(),
            decision.action(),
            outcome,
            message,
            desired.digest(),
            desired.byPath(),
            snapshot,
            container.spec().health());
    store.save(name, generation);
    for (Generation old :
        Retention.released(store.history(name), container.spec().rollback().keep())) {
      store.release(name, old.number());
    }
    return generation;
  }

  String revision() {
    return revision;
  }

  Clock clock() {
    return clock;
  }
}
