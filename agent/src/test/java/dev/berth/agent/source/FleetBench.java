package dev.berth.agent.source;

import dev.berth.agent.source.SourceSettings.Auth;
import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The fleet benchmark behind {@code bin/bench-fleet}: N simulated agents, each a real {@link
 * GitSource} with its own bare cache, poll one real Git server on 127.0.0.1 ({@code git daemon} or
 * {@code git http-backend} behind an HTTP server, each in a process of its own). Reports per N the
 * server's CPU per 1,000 unchanged polls beside plain {@code git ls-remote} processes asking the
 * same, bytes per poll, and how one pushed commit's fetches spread with the agents' poll phases.
 *
 * <p>The agents are threads of one JVM: the server sees one TCP connection per poll either way, and
 * 1,000 JVMs (about 60 MB each) do not fit a test machine.
 */
public final class FleetBench {
  private static final String REPO = "fleet";

  private final List<Integer> sizes;
  private final List<String> servers;
  private final Duration interval;
  private final int rounds;
  private final int files;
  private final Path work;
  private final Random random = new Random(42);
  private final StringBuilder table = new StringBuilder();
  private GitRepo repo;
  private int commits;

  private FleetBench(
      List<Integer> sizes,
      List<String> servers,
      Duration interval,
      int rounds,
      int files,
      Path work) {
    this.sizes = sizes;
    this.servers = servers;
    this.interval = interval;
    this.rounds = rounds;
    this.files = files;
    this.work = work;
  }

  /** Settings as system properties: berth.fleet.sizes, servers, interval, rounds, files, work. */
  public static void main(String[] args) throws Exception {
    new FleetBench(
            Arrays.stream(System.getProperty("berth.fleet.sizes", "100,300").split("[, ]+"))
                .map(Integer::parseInt)
                .toList(),
            List.of(System.getProperty("berth.fleet.servers", "git,http").split("[, ]+")),
            Duration.ofSeconds(Long.parseLong(System.getProperty("berth.fleet.interval", "10"))),
            Integer.parseInt(System.getProperty("berth.fleet.rounds", "2")),
            Integer.parseInt(System.getProperty("berth.fleet.files", "100")),
            Path.of(System.getProperty("berth.fleet.work")))
        .run();
  }

  private void run() throws Exception {
    repo = GitRepo.init(work.resolve("served").resolve(REPO));
    for (int i = 0; i < files; i++) {
      repo.write(String.format(Locale.ROOT, "hosts/c%03d.yaml", i), manifest(i, 0));
    }
    repo.commit("the fleet");
    // A repository as it is after a while: other branches and release tags, which a poll of
    // main need not hear about.
    for (int i = 0; i < 5; i++) {
      repo.git("branch", "feature-" + i);
    }
    for (int i = 0; i < 50; i++) {
      repo.git("tag", "v1." + i + ".0");
    }
    System.out.printf(
        "fleet benchmark: %d manifests, 6 branches, 50 tags; poll interval %ds, %d unchanged"
            + " rounds; %d cores%n",
        files, interval.toSeconds(), rounds, Runtime.getRuntime().availableProcessors());
    table.append(
        "| server | N | server CPU s / 1,000 unchanged polls: berth | git ls-remote |"
            + " bytes/poll berth | git ls-remote | p50 / p99 poll ms | all N fetched one commit:"
            + " together | berth's phases (interval/10) | phases over the interval | max"
            + " fetches in flight (together / interval/10 / interval) |\n");
    table.append("|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (String kind : servers) {
      try (FleetServer server = FleetServer.start(kind, work.resolve("served"))) {
        long[] bytes = bytesPerPoll(server);
        for (int n : sizes) {
          fleet(server, n, bytes);
        }
      }
    }
    System.out.println();
    System.out.print(table);
  }

  /** Bytes on the wire of one unchanged poll: berth's, and git ls-remote's, over 20 polls each. */
  private long[] bytesPerPoll(FleetServer server) throws Exception {
    int polls = 20;
    try (CountingProxy proxy = new CountingProxy(server.port());
        GitSource source = source(server.url(REPO, proxy.port()), "bytes-" + server.kind())) {
      source.poll(); // the cold fetch
      long start = proxy.bytes();
      for (int i = 0; i < polls; i++) {
        source.poll();
      }
      long berth = (proxy.bytes() - start) / polls;
      start = proxy.bytes();
      for (int i = 0; i < polls; i++) {
        lsRemote(server.url(REPO, proxy.port()));
      }
      long floor = (proxy.bytes() - start) / polls;
      push();
      start = proxy.bytes();
      source.poll();
      long fetch = proxy.bytes() - start;
      System.out.printf(
          "%s: an unchanged poll is %d bytes (git ls-remote: %d); a poll that fetches one changed"
              + " manifest %d bytes%n",
          server.kind(), berth, floor, fetch);
      return new long[] {berth, floor};
    }
  }

  private void fleet(FleetServer server, int n, long[] bytes) throws Exception {
    String url = server.url(REPO, server.port());
    List<GitSource> agents = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      agents.add(source(url, server.kind() + "-" + n + "/" + i));
    }
    ScheduledThreadPoolExecutor threads = new ScheduledThreadPoolExecutor(n);
    try {
      long t = System.nanoTime();
      PollTimeline cold = schedule(threads, agents, phases(n, 0), 1);
      System.out.printf(
          "%s N=%d: cold clones %.1fs (%d failed)%n",
          server.kind(), n, (System.nanoTime() - t) / 1e9, cold.failures());

      long[] spread = phases(n, interval.toMillis());
      ServerCpu before = quietCpu(server);
      long clientBefore = clientCpuNanos();
      PollTimeline unchanged = schedule(threads, agents, spread, rounds);
      ServerCpu berthServer = quietCpu(server).minus(before);
      double berthCpu = server.gitSeconds(berthServer);
      double clientMs = (clientCpuNanos() - clientBefore) / 1e6 / unchanged.count();
      before = quietCpu(server);
      PollTimeline floor = scheduleLsRemote(threads, url, spread, rounds);
      ServerCpu floorCpu = quietCpu(server).minus(before);
      double perThousand = berthCpu / unchanged.count() * 1000;
      double floorPerThousand = server.gitSeconds(floorCpu) / floor.count() * 1000;
      System.out.printf(
          "%s N=%d: %d unchanged polls (%d failed, %d fetched): server CPU %.2fs = %.2fs per 1,000"
              + " (git ls-remote: %.2fs per 1,000 of %d); poll p50 %.1fms p99 %.1fms; the"
              + " agents' CPU %.2fms per poll; of the server's, its own %.2fs, its children's"
              + " %.2fs%n",
          server.kind(),
          n,
          unchanged.count(),
          unchanged.failures(),
          unchanged.fetches(),
          berthCpu,
          perThousand,
          floorPerThousand,
          floor.count(),
          unchanged.latencyMillis(0.5),
          unchanged.latencyMillis(0.99),
          clientMs,
          berthServer.own(),
          berthServer.children());

      PollTimeline together = commitAndPoll(server, threads, agents, phases(n, 0), "together");
      PollTimeline tenth =
          commitAndPoll(
              server, threads, agents, phases(n, interval.toMillis() / 10), "interval/10");
      PollTimeline whole = commitAndPoll(server, threads, agents, spread, "over the interval");
      table.append(
          String.format(
              Locale.ROOT,
              "| %s | %d | %.2f | %.2f | %d | %d | %.1f / %.1f | %.1f s | %.1f s | %.1f s |"
                  + " %d / %d / %d |%n",
              server.kind(),
              n,
              perThousand,
              floorPerThousand,
              bytes[0],
              bytes[1],
              unchanged.latencyMillis(0.5),
              unchanged.latencyMillis(0.99),
              together.lastFetchEnd(),
              tenth.lastFetchEnd(),
              whole.lastFetchEnd(),
              together.maxFetchesInFlight(),
              tenth.maxFetchesInFlight(),
              whole.maxFetchesInFlight()));
    } finally {
      threads.shutdownNow();
      agents.forEach(GitSource::close);
      deleteTree(work.resolve("agents").resolve(server.kind() + "-" + n));
    }
  }

  /** Pushes one changed manifest, then every agent polls once at its phase. */
  private PollTimeline commitAndPoll(
      FleetServer server,
      ScheduledThreadPoolExecutor threads,
      List<GitSource> agents,
      long[] phases,
      String spreading)
      throws Exception {
    push();
    ServerCpu before = quietCpu(server);
    PollTimeline timeline = schedule(threads, agents, phases, 1);
    double cpu = server.gitSeconds(quietCpu(server).minus(before));
    int[] perSecond = timeline.fetchesPerSecond();
    System.out.printf(
        "%s N=%d, one pushed commit, phases %s: all fetched after %.1fs (%d fetches, %d failed);"
            + " at most %d in flight, at most %d started in one second; server CPU %.2fs;"
            + " fetches started per second %s%n",
        server.kind(),
        agents.size(),
        spreading,
        timeline.lastFetchEnd(),
        timeline.fetches(),
        timeline.failures(),
        timeline.maxFetchesInFlight(),
        Arrays.stream(perSecond).max().orElse(0),
        cpu,
        PollTimeline.histogram(perSecond));
    timeline.firstFailure().ifPresent(f -> System.out.println("  the first failure: " + f));
    return timeline;
  }

  private void push() throws IOException {
    commits++;
    repo.write("hosts/c000.yaml", manifest(0, commits));
    repo.commit("change " + commits);
  }

  /** Each agent's offset, in milliseconds, drawn within {@code spreadMillis} (0: all at once). */
  private long[] phases(int n, long spreadMillis) {
    long[] phases = new long[n];
    for (int i = 0; i < n; i++) {
      phases[i] = spreadMillis == 0 ? 0 : (long) (random.nextDouble() * spreadMillis);
    }
    return phases;
  }

  /** Every agent polls {@code polls} times, one interval apart, from its phase on. */
  private PollTimeline schedule(
      ScheduledThreadPoolExecutor threads, List<GitSource> agents, long[] phases, int polls)
      throws Exception {
    PollTimeline timeline = new PollTimeline();
    long start = System.nanoTime();
    List<Future<?>> all = new ArrayList<>();
    for (int round = 0; round < polls; round++) {
      for (int i = 0; i < agents.size(); i++) {
        GitSource agent = agents.get(i);
        long at = phases[i] + round * interval.toMillis();
        all.add(threads.schedule(() -> poll(agent, start, timeline), at, TimeUnit.MILLISECONDS));
      }
    }
    for (Future<?> f : all) {
      f.get();
    }
    return timeline;
  }

  private static Void poll(GitSource agent, long phaseStart, PollTimeline timeline) {
    int fetches = agent.fetchCount();
    long start = System.nanoTime() - phaseStart;
    boolean failed = false;
    try {
      agent.poll();
    } catch (SourceFailure e) {
      failed = true;
      timeline.failedWith(e);
    }
    long end = System.nanoTime() - phaseStart;
    timeline.add(new PollTimeline.Poll(start, end, agent.fetchCount() > fetches, failed));
    return null;
  }

  private PollTimeline scheduleLsRemote(
      ScheduledThreadPoolExecutor threads, String url, long[] phases, int polls) throws Exception {
    PollTimeline timeline = new PollTimeline();
    long start = System.nanoTime();
    List<Future<?>> all = new ArrayList<>();
    for (int round = 0; round < polls; round++) {
      for (long phase : phases) {
        Callable<Void> run =
            () -> {
              long s = System.nanoTime() - start;
              boolean ok = lsRemote(url);
              timeline.add(new PollTimeline.Poll(s, System.nanoTime() - start, false, !ok));
              return null;
            };
        all.add(threads.schedule(run, phase + round * interval.toMillis(), TimeUnit.MILLISECONDS));
      }
    }
    for (Future<?> f : all) {
      f.get();
    }
    return timeline;
  }

  /** The floor: git's own client asking for the branch, as a shell script would. */
  private static boolean lsRemote(String url) throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder("git", "ls-remote", url, "refs/heads/main");
    builder.environment().put("GIT_CONFIG_NOSYSTEM", "1");
    builder.environment().put("GIT_CONFIG_GLOBAL", "/dev/null");
    builder.redirectOutput(new File("/dev/null"));
    builder.redirectError(new File("/dev/null"));
    return builder.start().waitFor() == 0;
  }

  // The server reaps its children a moment after their last byte.
  private static ServerCpu quietCpu(FleetServer server) throws Exception {
    Thread.sleep(500);
    return server.cpu();
  }

  private static long clientCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  private GitSource source(String url, String name) {
    return new GitSource(
        new SourceSettings(
            url, GitSourceIT.branch("main"), null, Duration.ofSeconds(60), Auth.NONE, null),
        work.resolve("agents").resolve(name));
  }

  private static String manifest(int i, int generation) {
    return String.format(
        Locale.ROOT,
        """
        apiVersion: berth.dev/v1alpha1
        kind: Container
        metadata:
          name: c%03d
          labels: {generation: "%d"}
        spec:
          placement:
            hosts: [host-%03d]
          image:
            tarball:
              url: https://images.example.invalid/app-%d.tar
              sha256: %064d
          nspawn:
            Exec:
              Environment: [GENERATION=%d]
        """,
        i,
        generation,
        i % 200,
        generation,
        i,
        generation);
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (var paths = Files.walk(root)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
