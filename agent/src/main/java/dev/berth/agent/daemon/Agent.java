package dev.berth.agent.daemon;

import dev.berth.agent.config.AgentConfig;
import dev.berth.agent.nix.NixSystems;
import dev.berth.agent.source.ManifestSource;
import dev.berth.agent.source.SourceFailure;
import dev.berth.agent.source.SourceFiles;
import dev.berth.agent.source.SourceRevision;
import dev.berth.agent.status.AgentStatus;
import dev.berth.agent.status.PassRecord;
import dev.berth.agent.status.SourceStatus;
import dev.berth.reconciler.apply.Applier;
import dev.berth.reconciler.apply.ApplyListener;
import dev.berth.reconciler.apply.ApplyPolicy;
import dev.berth.reconciler.apply.ApplyReport;
import dev.berth.reconciler.apply.ContainerResult;
import dev.berth.reconciler.apply.GitShare;
import dev.berth.reconciler.apply.Outcome;
import dev.berth.reconciler.diag.Diagnostic;
import dev.berth.reconciler.load.LoadResult;
import dev.berth.reconciler.load.ManifestLoader;
import dev.berth.reconciler.model.Container;
import dev.berth.reconciler.model.Host;
import dev.berth.reconciler.model.Zone;
import dev.berth.reconciler.plan.ActionClass;
import dev.berth.reconciler.plan.PlannedAction;
import dev.berth.reconciler.render.HostRenderer;
import dev.berth.reconciler.render.HostRendering;
import dev.berth.reconciler.render.SystemBuilds;
import dev.berth.reconciler.validate.SemanticCheck;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The GitOps agent: each pass takes the wanted revision from the source, checks it, and applies the
 * last valid one to this host. Level-triggered: a trigger (poll, resync, webhook, a change on the
 * host) only asks for a pass, which recomputes everything. An invalid or unverifiable revision is
 * never applied; the last good one keeps running.
 */
public final class Agent implements AgentControl, AutoCloseable {
  private final AgentConfig config;
  private final Host host;
  private final ManifestSource source;
  private final Function<ApplyListener, Applier> applierFactory;
  private final GitShare share;
  private final AgentMetrics metrics;
  private final Clock clock;
  private final ActionLog log;
  private final Suspensions suspensions;
  private final Backoff backoff = new Backoff();
  private final StatusBook status;
  private final PassLoop loop;
  private final ManifestLoader loader = new ManifestLoader();
  private final NixSystems nix;

  /**
   * The newest valid revision with its manifests: what the host should run. Rendered at each pass,
   * as NixOS systems get built.
   */
  private record Desired(
      String revision, List<Container> containers, List<Zone> zones, SourceFiles files) {}

  private volatile Desired desired;
  private String rejectedRevision;
  private final Map<String, Instant> retryAt = new HashMap<>();
  private volatile java.util.function.Consumer<Instant> retryScheduler = when -> {};
  private volatile java.util.function.Consumer<PassRecord> passObserver = pass -> {};

  public Agent(
      AgentConfig config,
      ManifestSource source,
      Function<ApplyListener, Applier> applierFactory,
      GitShare share,
      AgentMetrics metrics,
      Clock clock,
      ActionLog log,
      String version)
      throws IOException {
    this(
        config,
        source,
        applierFactory,
        share,
        metrics,
        clock,
        log,
        version,
        NixSystems.onHost(config.stateDir(), NixSystems.DEFAULT_TIMEOUT));
  }

  /** With {@code nix}, the builder of the NixOS containers' systems. */
  public Agent(
      AgentConfig config,
      ManifestSource source,
      Function<ApplyListener, Applier> applierFactory,
      GitShare share,
      AgentMetrics metrics,
      Clock clock,
      ActionLog log,
      String version,
      NixSystems nix)
      throws IOException {
    this.loop = new PassLoop(this::pass, clock);
    this.config = config;
    this.nix = nix;
    nix.onBuildFinished(
        build -> {
          log.event(
              build.system() != null ? "build finished" : "build failed",
              "inputs",
              build.inputs(),
              "system",
              build.system(),
              "duration_ms",
              build.took().toMillis(),
              "error",
              build.failure());
          loop.trigger("build");
        });
    this.host = new Host(config.hostName(), config.hostLabels());
    this.source = source;
    this.applierFactory = applierFactory;
    this.share = share;
    this.metrics = metrics;
    this.clock = clock;
    this.log = log;
    this.suspensions = new Suspensions(config.stateDir(), config.sync().suspend());
    this.status =
        new StatusBook(
            host.name(),
            version,
            new SourceStatus(
                config.source().url(),
                config.source().ref().describe(),
                null,
                null,
                null,
                null,
                null,
                null));
    metrics.suspended(suspensions.all());
  }

  public static ActionLog stdoutLog() {
    return new ActionLog(System.out);
  }

  @Override
  public void triggerReconcile(String reason) {
    loop.trigger(reason);
  }

  /**
   * A change on the host (a job ended, a machine went away): look again. Changes that a pass causes
   * itself coalesce into one follow-up pass, which finds nothing to do.
   */
  public void hostChanged() {
    loop.trigger("host-event");
  }

  @Override
  public void suspend(String container) {
    requireManaged(container);
    try {
      suspensions.suspend(container);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    metrics.suspended(suspensions.all());
    log.event("suspended", "container", container == null ? "(all)" : container);
    loop.trigger("suspend");
  }

  @Override
  public void resume(String container) {
    requireManaged(container);
    try {
      suspensions.resume(container);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    metrics.suspended(suspensions.all());
    log.event("resumed", "container", container == null ? "(all)" : container);
    loop.trigger("resume");
  }

  private void requireManaged(String container) {
    Desired current = desired;
    boolean known =
        container == null
            || current != null
                && current.containers().stream().anyMatch(c -> c.name().equals(container))
            || suspensions.containers().contains(container);
    if (!known) {
      throw new IllegalArgumentException(
          "no container " + container + " is managed on " + host.name());
    }
  }

  @Override
  public AgentStatus status() {
    return status.snapshot(suspensions.all());
  }

  @Override
  public boolean ready() {
    return status.isReady();
  }

  /** When each failed container may be tried again. */
  public synchronized Map<String, Instant> retries() {
    return Map.copyOf(retryAt);
  }

  /** Whether the loop is making progress: what the systemd watchdog is fed by. */
  public LoopProgress progress() {
    return loop.progress();
  }

  /** Where the running pass is now, for the journal when it seems stuck. */
  public java.util.List<StackTraceElement> passStack() {
    return loop.passStack();
  }

  /** Who hears of each pass when it has ended (the systemd notifier: readiness, status). */
  public void afterEachPass(java.util.function.Consumer<PassRecord> observer) {
    this.passObserver = observer;
  }

  /** Who arranges a pass when the earliest backoff ends. */
  public void retryWith(java.util.function.Consumer<Instant> scheduler) {
    this.retryScheduler = scheduler;
  }

  private void pass(String trigger) {
    Instant started = clock.instant();
    long cpuBefore = passThreadCpuNanos();
    String result = "success";
    List<String> actions = new ArrayList<>();
    String revision = null;
    try {
      // A change on the host, or a build that ended, needs no new look at the source.
      if (!(trigger.equals("host-event") || trigger.equals("build")) || desired == null) {
        poll();
      }
      if (desired == null) {
        result = "no-revision";
        return;
      }
      revision = desired.revision();
      status.attempted(
          status.source().fetchedRevision() == null ? revision : status.source().fetchedRevision());
      result = apply(desired, actions);
      if (result.equals("success") && rejectedRevision != null) {
        result = "invalid"; // the host runs the last good revision; the newest one was refused
      }
    } catch (RuntimeException e) {
      result = "error";
      log.event("pass failed", "error", e.toString());
      status.errors(List.of("pass failed: " + e.getMessage()));
    } finally {
      Duration duration = Duration.between(started, clock.instant());
      Duration cpu = Duration.ofNanos(Math.max(0, passThreadCpuNanos() - cpuBefore));
      PassRecord record =
          new PassRecord(started, duration, cpu, revision, trigger, result, actions);
      status.pass(record);
      metrics.passFinished(duration, result);
      metrics.containers(status.containers(), revision);
      status.ready();
      log.event(
          "pass",
          "trigger",
          trigger,
          "revision",
          revision,
          "result",
          result,
          "duration_ms",
          duration.toMillis(),
          "cpu_ms",
          cpu.toMillis(),
          "actions",
          actions.size());
      try {
        passObserver.accept(record);
      } catch (RuntimeException e) {
        log.event("pass observer failed", "error", e.toString());
      }
    }
  }

  /**
   * CPU time of the pass's own thread, in nanoseconds; a pass that activates containers also uses
   * worker threads, which this leaves out (their time is mostly waiting for systemd anyway).
   */
  private static long passThreadCpuNanos() {
    var threads = java.lang.management.ManagementFactory.getThreadMXBean();
    return threads.isCurrentThreadCpuTimeSupported() ? threads.getCurrentThreadCpuTime() : 0;
  }

  /** Fetches the wanted revision; a new valid one becomes desired, an invalid one is reported. */
  private void poll() {
    Instant now = clock.instant();
    SourceStatus before = status.source();
    SourceRevision fetched;
    try {
      fetched = source.poll();
    } catch (SourceFailure failure) {
      metrics.fetch(failure.reason().camelCase());
      status.source(
          new SourceStatus(
              before.url(),
              before.ref(),
              before.fetchedRevision(),
              before.verifiedRevision(),
              now,
              before.lastSuccessfulFetch(),
              failure.reason().camelCase(),
              failure.getMessage()));
      log.event(
          "source failed",
          "reason",
          failure.reason().camelCase(),
          "revision",
          failure.revision(),
          "error",
          failure.getMessage());
      return;
    }
    boolean moved = !fetched.commit().equals(before.fetchedRevision());
    metrics.fetch(moved ? "success" : "unchanged");
    metrics.sourceRevision(fetched.commit());
    status.source(
        new SourceStatus(
            before.url(),
            before.ref(),
            fetched.commit(),
            config.source().verify() == null ? null : fetched.commit(),
            now,
            now,
            null,
            null));
    if (desired != null && fetched.commit().equals(desired.revision())
        || fetched.commit().equals(rejectedRevision)) {
      return;
    }
    LoadResult loaded;
    try {
      loaded = loader.load(fetched.tree(), SemanticCheck.forHost(host));
    } catch (IOException e) {
      status.errors(List.of("cannot read revision " + fetched.commit() + ": " + e.getMessage()));
      return;
    }
    if (!loaded.valid()) {
      rejectedRevision = fetched.commit();
      List<String> errors =
          loaded.diagnostics().stream()
              .filter(Diagnostic::isError)
              .map(Diagnostic::format)
              .toList();
      status.errors(errors);
      status.attempted(fetched.commit());
      log.event(
          "revision rejected",
          "revision",
          fetched.commit(),
          "reason",
          "InvalidManifests",
          "errors",
          errors.size(),
          "first",
          errors.get(0));
      return;
    }
    status.errors(List.of());
    rejectedRevision = null;
    List<Container> containers = loaded.manifests().containersOn(host);
    desired =
        new Desired(
            fetched.commit(), containers, loaded.manifests().zonesOn(host), fetched.files());
    backoff.reset();
    log.event("revision accepted", "revision", fetched.commit(), "containers", containers.size());
  }

  private String apply(Desired desired, List<String> actions) {
    Instant now = clock.instant();
    Map<String, String> frozen = new HashMap<>();
    Set<String> suspended = suspensions.containers();
    for (String name : suspended) {
      frozen.put(name, "suspended");
    }
    if (suspensions.all()) {
      for (Container container : desired.containers()) {
        frozen.put(container.name(), "suspended (the whole agent)");
      }
    }
    backoff
        .waiting(now)
        .forEach(
            (name, until) ->
                frozen.putIfAbsent(name, "backing off after a failure until " + until));
    var sync = config.sync();
    ApplyPolicy policy =
        suspensions.all()
            ? new ApplyPolicy(frozen, false, false, 0, false)
            : new ApplyPolicy(
                frozen, sync.prune(), sync.selfHeal(), sync.maxRemovals(), sync.allowEmpty());
    ApplyReport report;
    List<ContainerResult> conflicts;
    // The host lock keeps berth create|update|remove out while the pass changes the host; the
    // imperative containers are left out of the pass (nothing is built for a manifest claiming
    // one's name), and such a manifest is reported as a conflict.
    try (var held =
        share.lock(waiting -> log.event("waiting for the host lock", "detail", waiting))) {
      Set<String> imperative = share.imperative();
      List<Container> owned =
          desired.containers().stream().filter(c -> !imperative.contains(c.name())).toList();
      SystemBuilds systems = nix.forPass(owned, desired.files());
      HostRendering rendering = render(desired, imperative, owned, systems);
      GitShare.Split split = GitShare.split(imperative, desired.containers(), rendering);
      conflicts = split.conflicts();
      ApplyListener listener = listener(desired.revision());
      conflicts.forEach(listener::finished);
      report =
          applierFactory
              .apply(listener)
              .apply(host.name(), split.containers(), split.rendering(), policy);
      nix.afterPass(split.containers(), report, systems);
      if (!report.isRefused()) {
        share.recordConverged(
            desired.revision(),
            desired.containers().stream()
                .collect(Collectors.toMap(Container::name, Function.identity())),
            report.results(),
            now);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (report.isRefused()) {
      status.errors(List.of("MassPruneRefused: " + report.refusal()));
      log.event(
          "pass refused",
          "revision",
          desired.revision(),
          "reason",
          "MassPruneRefused",
          "detail",
          report.refusal());
      metrics.action("remove", "refused");
      return "refused";
    }
    Map<String, Container> byName =
        desired.containers().stream()
            .collect(Collectors.toMap(Container::name, Function.identity()));
    Set<String> present = new HashSet<>(byName.keySet());
    Set<String> suspendedNames = suspensions.all() ? byName.keySet() : suspended;
    synchronized (this) {
      retryAt.clear();
    }
    List<ContainerResult> results = new ArrayList<>(conflicts);
    results.addAll(report.results());
    for (ContainerResult result : results) {
      if (result.action() != ActionClass.NONE || result.outcome() != Outcome.CONVERGED) {
        actions.add(result.line());
        metrics.action(
            result.action().label(), result.outcome().name().toLowerCase(java.util.Locale.ROOT));
      }
      Container container = byName.get(result.name());
      if (container == null) {
        if (result.action() == ActionClass.REMOVE && result.outcome() == Outcome.CONVERGED) {
          status.removed(result.name());
        }
        continue;
      }
      status.result(container, result, desired.revision(), suspendedNames, now);
      if (result.outcome() == Outcome.FAILED) {
        Duration delay = backoff.failed(result.name(), now);
        synchronized (this) {
          retryAt.put(result.name(), now.plus(delay));
        }
      } else if (result.outcome() == Outcome.CONVERGED) {
        backoff.succeeded(result.name());
      }
    }
    status.keepOnly(present);
    synchronized (this) {
      retryAt.values().stream().min(Instant::compareTo).ifPresent(retryScheduler);
    }
    boolean converged = report.converged();
    if (converged) {
      status.applied(desired.revision());
    }
    return converged ? "success" : "failed";
  }

  /** What the last pass rendered, and from what: most passes render the same again. */
  private record Rendered(
      Desired desired,
      Set<String> imperative,
      Map<String, java.util.Optional<String>> systems,
      HostRendering rendering) {}

  private Rendered rendered;

  private HostRendering render(
      Desired desired, Set<String> imperative, List<Container> owned, SystemBuilds systems) {
    Map<String, java.util.Optional<String>> nixos = new HashMap<>();
    for (Container container : owned) {
      if (container.spec().image().isNixos()) {
        nixos.put(container.name(), systems.systemOf(container.name()));
      }
    }
    Rendered last = rendered;
    // An unbuilt system's reason (building for N s) changes every pass: render those again.
    boolean waiting = nixos.values().stream().anyMatch(java.util.Optional::isEmpty);
    if (last != null
        && !waiting
        && last.desired() == desired
        && last.imperative().equals(imperative)
        && last.systems().equals(nixos)) {
      return last.rendering();
    }
    HostRendering rendering = new HostRenderer().render(owned, desired.zones(), systems);
    rendered = new Rendered(desired, Set.copyOf(imperative), Map.copyOf(nixos), rendering);
    return rendering;
  }

  private ApplyListener listener(String revision) {
    return new ApplyListener() {
      @Override
      public void finished(ContainerResult result) {
        loop.progressed();
        if (result.action() != ActionClass.NONE || result.outcome() != Outcome.CONVERGED) {
          log.event(
              "action",
              "container",
              result.name(),
              "action",
              result.action().label(),
              "revision",
              revision,
              "result",
              result.outcome().name().toLowerCase(java.util.Locale.ROOT),
              "detail",
              result.message(),
              "drift",
              result.drifted() ? "true" : null);
        }
      }

      @Override
      public void starting(PlannedAction action) {
        loop.progressed();
      }

      @Override
      public void note(String message) {
        loop.progressed();
        log.event("note", "revision", revision, "detail", message);
      }
    };
  }

  @Override
  public void close() throws InterruptedException {
    loop.close();
    nix.close();
    source.close();
  }
}
