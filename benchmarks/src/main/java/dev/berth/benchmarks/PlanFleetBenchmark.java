package dev.berth.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.berth.reconciler.load.LoadResult;
import dev.berth.reconciler.load.ManifestCache;
import dev.berth.reconciler.load.ManifestLoader;
import dev.berth.reconciler.model.Container;
import dev.berth.reconciler.model.Host;
import dev.berth.reconciler.model.Zone;
import dev.berth.reconciler.plan.ActionClass;
import dev.berth.reconciler.plan.InstalledFiles;
import dev.berth.reconciler.plan.Plan;
import dev.berth.reconciler.plan.PlannedAction;
import dev.berth.reconciler.plan.Planner;
import dev.berth.reconciler.render.HostRenderer;
import dev.berth.reconciler.render.HostRendering;
import dev.berth.reconciler.render.SystemBuilds;
import dev.berth.reconciler.source.ManifestFile;
import dev.berth.reconciler.validate.SemanticCheck;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * One pass of the agent for one host over a fleet repository of 10,000 containers on 200 hosts,
 * next to its baseline, in one class so that one run reports both:
 *
 * <ul>
 *   <li>{@link #jacksonParseOnly}: Jackson's YAMLMapper reads every document of every file into a
 *       {@link JsonNode} — nothing else;
 *   <li>{@link #parseValidatePlacePlan}: berth's whole path for host-042: {@link
 *       ManifestLoader#load} (YAML with source marks, CRD schema, binding, document and host
 *       rules), placement, render and plan against a previous render of the host.
 * </ul>
 *
 * <p>Both start from the files' bytes in memory, so neither measures the disk. What the agent does
 * once at start-up — compiling the CRD schemas into validators, building mappers — is done in
 * {@link #setUp}. The defaults suit a 2-core machine; override them on the command line ({@code
 * -f}, {@code -wi}, {@code -i}, {@code -w}, {@code -r}, {@code -p hosts=..}, {@code -p host=..},
 * {@code -p threads=..}).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@Warmup(iterations = 3, time = 5, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 5, time = 5, timeUnit = TimeUnit.SECONDS)
@State(Scope.Benchmark)
public class PlanFleetBenchmark {

  /** How many hosts the fleet has; each gets 50 containers and 3 zones. */
  @Param({"200"})
  public int hosts;

  /** The index of the host the pass is for. */
  @Param({"42"})
  public int host;

  /**
   * How many files berth's loader reads and checks at once; 0 is the loader's default, the
   * machine's processors. {@code -p threads=1,0} measures one thread and the default side by side.
   */
  @Param({"0"})
  public int threads;

  private FleetRepository fleet;
  private Host target;
  private InstalledFiles installed;
  private ManifestLoader loader;
  private final HostRenderer renderer = new HostRenderer();
  private final Planner planner = new Planner();
  private ObjectReader jackson;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    fleet = FleetRepository.generate(FleetRepository.DEFAULT_SEED, hosts);
    target = FleetRepository.host(host);
    installed = fleet.previousRender(target);
    loader =
        threads == 0 ? FleetRepository.loader() : FleetRepository.loader().withParallelism(threads);
    jackson = new YAMLMapper().readerFor(JsonNode.class);

    // Both benchmarks must see every document, and berth's path must run its success path.
    int parsed = countDocuments();
    if (parsed != fleet.documents()) {
      throw new IllegalStateException(
          "Jackson read " + parsed + " documents, the fleet has " + fleet.documents());
    }
    Plan plan = parseValidatePlacePlan();
    Map<ActionClass, Long> actions =
        plan.actions().stream()
            .collect(
                Collectors.groupingBy(PlannedAction::action, TreeMap::new, Collectors.counting()));
    System.out.printf(
        "%nfleet: %d files, %d documents, %.1f MiB; %s: %d containers; plan: %s%n",
        fleet.manifests().size(),
        fleet.documents(),
        fleet.bytes() / (1024.0 * 1024.0),
        target.name(),
        plan.actions().stream().filter(a -> a.subject() == PlannedAction.Subject.CONTAINER).count(),
        actions);
  }

  /** The baseline: every document of every file into a JsonNode, with Jackson's YAML module. */
  @Benchmark
  public void jacksonParseOnly(Blackhole blackhole) throws IOException {
    for (ManifestFile file : fleet.manifests()) {
      try (MappingIterator<JsonNode> documents = jackson.readValues(file.content())) {
        while (documents.hasNextValue()) {
          blackhole.consume(documents.nextValue());
        }
      }
    }
  }

  /** berth's pass for one host: load and check everything, place, render and plan. */
  @Benchmark
  public Plan parseValidatePlacePlan() throws IOException {
    return pass(loader, fleet);
  }

  /**
   * The agent's pass after a commit that changed one file of the fleet (a label of a container on
   * this host), its loader's cache warm from the commit before: one file read and checked, the
   * checks across documents, placing, rendering and planning over all of it.
   */
  @Benchmark
  public Plan oneFileChangedWarmCache(NextCommit commit) throws IOException {
    return pass(commit.loader, commit.tree);
  }

  /** A loader whose cache holds the fleet's last commit, and the next commit, new each time. */
  @State(Scope.Benchmark)
  public static class NextCommit {
    ManifestCache cache = new ManifestCache();
    ManifestLoader loader;
    FleetRepository tree;
    private String path;
    private String original;
    private int commits;

    @Setup(Level.Trial)
    public void warm(PlanFleetBenchmark benchmark) throws IOException {
      loader = benchmark.loader.withCache(cache);
      path = "hosts/" + FleetRepository.hostName(benchmark.host) + ".yaml";
      original = benchmark.fleet.content(path);
      tree = benchmark.fleet;
      benchmark.pass(loader, tree);
      next(benchmark);
    }

    @Setup(Level.Invocation)
    public void next(PlanFleetBenchmark benchmark) {
      String changed =
          original.replaceFirst("  labels:\n", "  labels:\n    commit: \"" + ++commits + "\"\n");
      tree = benchmark.fleet.withFile(path, changed);
    }

    /** Prints the cache's size, and its heap: the heap in use after a GC, with it and without. */
    @TearDown(Level.Trial)
    public void report() {
      ManifestCache.Stats stats = cache.stats();
      long with = heapAfterGc();
      cache = null;
      loader = null;
      long without = heapAfterGc();
      System.out.printf(
          "%nmanifest cache: %d entries from %.1f MiB of YAML, %.1f MiB of heap; %d hits, %d"
              + " misses%n",
          stats.entries(),
          stats.sourceBytes() / (1024.0 * 1024.0),
          (with - without) / (1024.0 * 1024.0),
          stats.hits(),
          stats.misses());
    }

    private static long heapAfterGc() {
      for (int i = 0; i < 3; i++) {
        System.gc();
      }
      Runtime runtime = Runtime.getRuntime();
      return runtime.totalMemory() - runtime.freeMemory();
    }
  }

  private Plan pass(ManifestLoader loader, FleetRepository tree) throws IOException {
    LoadResult result = loader.load(tree, SemanticCheck.forHost(target));
    if (!result.valid()) {
      throw new IllegalStateException(
          "invalid fleet: "
              + result.diagnostics().subList(0, Math.min(5, result.diagnostics().size())));
    }
    List<Container> containers = result.manifests().containersOn(target);
    List<Zone> zones = result.manifests().zonesOn(target);
    HostRendering rendering = renderer.render(containers, zones, SystemBuilds.NONE);
    return planner.plan(target.name(), containers, rendering, installed);
  }

  private int countDocuments() throws IOException {
    int count = 0;
    for (ManifestFile file : fleet.manifests()) {
      try (MappingIterator<JsonNode> documents = jackson.readValues(file.content())) {
        while (documents.hasNextValue()) {
          documents.nextValue();
          count++;
        }
      }
    }
    return count;
  }
}
