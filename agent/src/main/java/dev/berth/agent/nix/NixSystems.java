package dev.berth.agent.nix;

import dev.berth.agent.source.SourceFiles;
import dev.berth.agent.source.SourceFiles.SourceFile;
import dev.berth.reconciler.apply.ApplyReport;
import dev.berth.reconciler.apply.ContainerResult;
import dev.berth.reconciler.apply.Outcome;
import dev.berth.reconciler.apply.SystemSource;
import dev.berth.reconciler.model.Container;
import dev.berth.reconciler.model.Image.NixosImage;
import dev.berth.reconciler.plan.ActionClass;
import dev.berth.reconciler.render.SystemBuilds;
import dev.berth.reconciler.render.UnbuiltSystem;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The NixOS systems of a host's {@code nixos} containers: builds them from the revision, outside
 * the reconcile pass and once per distinct input; keeps them in the store with GC roots; tells each
 * pass which system every container should run, or why it has none yet.
 *
 * <p>A container whose build is under way or failed keeps running its current system: the pass
 * leaves it alone and reports it building, or failed with the build log's tail. A failed build is
 * tried again when its inputs change, or after {@link #RETRY_FAILED}.
 */
public final class NixSystems implements AutoCloseable {
  public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(30);
  static final Duration RETRY_FAILED = Duration.ofMinutes(5);

  private final Path dir;
  private final GcRoots roots;
  private final SystemBuilder builder;
  private final Duration timeout;
  private final Clock clock;
  private final BuildCache cache;
  private final ExecutorService executor;
  private final Map<String, Build> builds = new ConcurrentHashMap<>();
  private volatile Consumer<BuildEvent> onFinished = event -> {};

  NixSystems(Path stateDir, GcRoots roots, SystemBuilder builder, Duration timeout, Clock clock) {
    this.dir = stateDir.resolve("nix");
    this.roots = roots;
    this.builder = builder;
    this.timeout = timeout;
    this.clock = clock;
    this.cache = new BuildCache(dir.resolve("builds.json"));
    this.executor =
        Executors.newSingleThreadExecutor(
            runnable -> {
              Thread thread = new Thread(runnable, "berth-nix-build");
              thread.setDaemon(true);
              return thread;
            });
  }

  /** Builds with the host's nix, roots in {@code /nix/var/nix/gcroots/berth}. */
  public static NixSystems onHost(Path stateDir, Duration timeout) {
    return new NixSystems(
        stateDir, new GcRoots(GcRoots.DEFAULT), new NixBuildCommand(), timeout, Clock.systemUTC());
  }

  /** Who is told when a build has ended (the agent: a log line, and a pass to use it). */
  public void onBuildFinished(Consumer<BuildEvent> listener) {
    this.onFinished = listener;
  }

  /** A build that ended: {@code system} when it gave one, {@code failure} when not. */
  public record BuildEvent(String inputs, String system, String failure, Duration took) {}

  /**
   * The systems for one pass: each {@code nixos} container's built system, its build started if
   * there is none yet. Never waits for a build.
   */
  public SystemBuilds forPass(List<Container> containers, SourceFiles files) {
    Map<String, String> systems = new HashMap<>();
    Map<String, UnbuiltSystem> unbuilt = new HashMap<>();
    List<SourceFile> list;
    try {
      list = nixosOf(containers).isEmpty() ? List.of() : files.list();
    } catch (IOException e) {
      UnbuiltSystem failure =
          UnbuiltSystem.failed("cannot read the revision's files to build: " + e.getMessage());
      nixosOf(containers).forEach(c -> unbuilt.put(c.name(), failure));
      return systems(systems, unbuilt);
    }
    List<String> heldKeys = new ArrayList<>();
    for (Container container : nixosOf(containers)) {
      NixosImage image = container.spec().image().nixos();
      BuildKey key = BuildKey.of(image.file(), image.attr(), list);
      Build build = current(key, container.name());
      if (build == null || build.retryDue(clock.instant())) {
        build = start(key, files);
      }
      switch (build.state()) {
        case BUILT -> {
          systems.put(container.name(), build.system());
          heldKeys.add(key.digest());
        }
        case RUNNING ->
            unbuilt.put(
                container.name(),
                UnbuiltSystem.building(
                    "building the NixOS system from "
                        + key.describe()
                        + " (for "
                        + Duration.between(build.started(), clock.instant()).toSeconds()
                        + " s; log "
                        + logOf(key)
                        + ")"));
        case FAILED -> unbuilt.put(container.name(), UnbuiltSystem.failed(build.failure()));
      }
    }
    for (String key : heldKeys) {
      releaseResultLink(key);
    }
    return systems(systems, unbuilt);
  }

  /**
   * What earlier builds on this host (the agent's, {@code berth apply}'s) left for these inputs,
   * building nothing and rooting nothing: {@code berth plan} against the live host.
   */
  public static SystemBuilds cached(Path stateDir, List<Container> containers, SourceFiles files)
      throws IOException {
    BuildCache cache = new BuildCache(stateDir.resolve("nix").resolve("builds.json"));
    List<SourceFile> list = nixosOf(containers).isEmpty() ? List.of() : files.list();
    Map<String, String> systems = new HashMap<>();
    for (Container container : nixosOf(containers)) {
      NixosImage image = container.spec().image().nixos();
      cache
          .system(BuildKey.of(image.file(), image.attr(), list).digest())
          .filter(GcRoots::exists)
          .ifPresent(system -> systems.put(container.name(), system));
    }
    return systems(systems, Map.of());
  }

  /**
   * This builder as a pass's source of systems for the revision's {@code files}: builds start
   * beside the pass, and what the pass activated is rooted after it.
   */
  public SystemSource source(SourceFiles files) {
    return new SystemSource() {
      @Override
      public SystemBuilds forPass(List<Container> containers) {
        return NixSystems.this.forPass(containers, files);
      }

      @Override
      public void afterPass(List<Container> containers, ApplyReport report, SystemBuilds used)
          throws IOException {
        NixSystems.this.afterPass(containers, report, used);
      }
    };
  }

  /** Systems built (or given) before the pass, rooted after it as it activated them. */
  public SystemSource rooting(SystemBuilds built) {
    return new SystemSource() {
      @Override
      public SystemBuilds forPass(List<Container> containers) {
        return built;
      }

      @Override
      public void afterPass(List<Container> containers, ApplyReport report, SystemBuilds used)
          throws IOException {
        NixSystems.this.afterPass(containers, report, used);
      }
    };
  }

  /** Like {@link #forPass} but waits for the builds it starts: {@code berth apply}. */
  public SystemBuilds awaitBuilds(List<Container> containers, SourceFiles files)
      throws InterruptedException {
    forPass(containers, files);
    for (Build build : List.copyOf(builds.values())) {
      if (build.future() != null) {
        try {
          build.future().get(timeout.toMillis() + 60_000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
          // The build records its own failure; a stuck one is reported as still building.
        }
      }
    }
    return forPass(containers, files);
  }

  /**
   * After a pass: a container that activated its system roots it alone (the previous one may go); a
   * removed container's roots go.
   */
  public void afterPass(List<Container> containers, ApplyReport report, SystemBuilds used)
      throws IOException {
    Map<String, Container> byName =
        containers.stream().collect(Collectors.toMap(Container::name, Function.identity()));
    for (ContainerResult result : report.results()) {
      Container container = byName.get(result.name());
      if (container == null) {
        if (result.action() == ActionClass.REMOVE && result.outcome() == Outcome.CONVERGED) {
          roots.release(result.name());
        }
        continue;
      }
      if (!container.spec().image().isNixos()) {
        continue;
      }
      Optional<String> system = used.systemOf(result.name());
      if (system.isPresent() && result.outcome() == Outcome.CONVERGED && activates(result)) {
        roots.activated(result.name(), system.get());
      }
    }
  }

  private static boolean activates(ContainerResult result) {
    return switch (result.action()) {
      case CREATE, START, RESTART, RELOAD -> true;
      default -> false;
    };
  }

  /** The build of {@code key}: this agent's, or one an earlier agent left in the cache. */
  private Build current(BuildKey key, String container) {
    Build build = builds.get(key.digest());
    if (build == null) {
      build = cache.system(key.digest()).map(Build::built).orElse(null);
    }
    if (build != null && build.state() == BuildState.BUILT) {
      try {
        // Rooted first, then checked: a collection between the two cannot take it unseen.
        roots.hold(container, build.system());
      } catch (IOException e) {
        return Build.failed(
            clock.instant(), "cannot add a GC root for " + build.system() + ": " + e.getMessage());
      }
      if (!GcRoots.exists(build.system())) {
        builds.remove(key.digest());
        return null;
      }
      builds.putIfAbsent(key.digest(), build);
    }
    return build;
  }

  private Build start(BuildKey key, SourceFiles files) {
    Build running = Build.running(clock.instant());
    builds.put(key.digest(), running);
    Future<?> future =
        executor.submit(
            () -> {
              Build done = run(key, files, running.started());
              builds.put(key.digest(), done);
              onFinished.accept(
                  new BuildEvent(
                      key.describe() + " " + key.shortId(),
                      done.system(),
                      done.failure(),
                      Duration.between(running.started(), clock.instant())));
            });
    Build withFuture = running.withFuture(future);
    builds.replace(key.digest(), running, withFuture);
    return withFuture;
  }

  private Build run(BuildKey key, SourceFiles files, Instant started) {
    Path source = dir.resolve("src").resolve(key.shortId());
    try {
      SourceExport.write(files, source);
      String system = builder.build(source, key, resultLink(key.digest()), logOf(key), timeout);
      cache.put(key.digest(), system);
      return Build.built(system);
    } catch (SystemBuilder.BuildFailure e) {
      return Build.failed(clock.instant(), e.getMessage() + " (full log " + logOf(key) + ")");
    } catch (IOException | RuntimeException e) {
      return Build.failed(
          clock.instant(), "cannot build " + key.describe() + ": " + e.getMessage());
    } finally {
      try {
        SourceExport.delete(source);
      } catch (IOException e) {
        // Removed before the next build of these inputs.
      }
    }
  }

  /** The build's own root, until the containers that use it hold their own. */
  private Path resultLink(String digest) {
    return dir.resolve("results").resolve(digest.substring(0, 16));
  }

  private void releaseResultLink(String digest) {
    try {
      java.nio.file.Files.deleteIfExists(resultLink(digest));
    } catch (IOException e) {
      // Harmless: it only keeps a system in the store a little longer.
    }
  }

  Path logOf(BuildKey key) {
    return dir.resolve("logs").resolve(key.shortId() + ".log");
  }

  private static List<Container> nixosOf(List<Container> containers) {
    return containers.stream().filter(c -> c.spec().image().isNixos()).toList();
  }

  private static SystemBuilds systems(
      Map<String, String> systems, Map<String, UnbuiltSystem> unbuilt) {
    Map<String, String> built = Map.copyOf(systems);
    Map<String, UnbuiltSystem> waiting = Map.copyOf(unbuilt);
    return new SystemBuilds() {
      @Override
      public Optional<String> systemOf(String container) {
        return Optional.ofNullable(built.get(container));
      }

      @Override
      public UnbuiltSystem unbuilt(String container) {
        return waiting.getOrDefault(container, UnbuiltSystem.NOT_BUILT);
      }
    };
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }

  enum BuildState {
    RUNNING,
    BUILT,
    FAILED
  }

  /** One build of one set of inputs. */
  private record Build(
      BuildState state, Instant started, String system, String failure, Future<?> future) {
    static Build running(Instant now) {
      return new Build(BuildState.RUNNING, now, null, null, null);
    }

    static Build built(String system) {
      return new Build(BuildState.BUILT, null, system, null, null);
    }

    static Build failed(Instant now, String failure) {
      return new Build(BuildState.FAILED, now, null, failure, null);
    }

    Build withFuture(Future<?> future) {
      return new Build(state, started, system, failure, future);
    }

    boolean retryDue(Instant now) {
      return state == BuildState.FAILED && now.isAfter(started.plus(RETRY_FAILED));
    }
  }
}
