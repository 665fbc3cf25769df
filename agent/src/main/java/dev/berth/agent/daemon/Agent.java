package dev.berth.agent.daemon;

import dev.berth.agent.config.AgentConfig;
import dev.berth.agent.events.AgentEvent;
import dev.berth.agent.events.EventJournal;
import dev.berth.agent.nix.NixSystems;
import dev.berth.agent.source.AppliedCommit;
import dev.berth.agent.source.ManifestSource;
import dev.berth.agent.status.AgentStatus;
import dev.berth.agent.status.PassRecord;
import dev.berth.agent.status.SourceStatus;
import dev.berth.reconciler.apply.ApplyReport;
import dev.berth.reconciler.apply.ContainerResult;
import dev.berth.reconciler.apply.GitPass;
import dev.berth.reconciler.apply.Outcome;
import dev.berth.reconciler.model.Container;
import dev.berth.reconciler.model.Host;
import dev.berth.reconciler.model.RolloutSpec;
import dev.berth.reconciler.pass.HeldActions;
import dev.berth.reconciler.pass.PassPolicy;
import dev.berth.reconciler.pass.SkipReason;
import dev.berth.reconciler.plan.ActionClass;
import dev.berth.reconciler.rollout.FleetObserver;
import dev.berth.reconciler.rollout.HoldReason;
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
import java.util.Optional;
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
  private final Host host;
  private final ManifestSource source;
  private final GitPass gitPass;
  private final AgentMetrics metrics;
  private final Clock clock;
  private final ActionLog log;
  private final AgentEvents events;
  private final Suspensions suspensions;
  private final Backoff backoff = new Backoff();
  private final StatusBook status;
  private final RevisionGate revisions;
  private final SyncPolicy policies;
  private final PassRecorder recorder;
  private final PassLoop loop;
  private final NixSystems nix;
  private final RolloutStep rollouts;
  private final FleetReport fleetReport;
  private volatile AppliedCommit appliedCommit = Optional::empty;
  private volatile DesiredRevision running;

  /**
   * How soon a host that waits for another wave (or for its gate to answer) looks again when its
   * poll interval is longer: a webhook wakes only the first wave.
   */
  static final Duration HELD_RECHECK = Duration.ofSeconds(30);

  private final Map<String, Instant> retryAt = new HashMap<>();
  private final Duration interval;
  private volatile Duration stallLimit = Duration.ofMinutes(45);
  private volatile java.util.function.Consumer<Instant> retryScheduler = when -> {};
  private volatile AppliedRecorder appliedRecorder = revision -> {};

  /** Where the revision a pass applied is recorded: what the next one must descend from. */
  public interface AppliedRecorder {
    void record(String revision) throws IOException;
  }

  public Agent(
      AgentConfig config,
      ManifestSource source,
      GitPass gitPass,
      AgentMetrics metrics,
      Clock clock,
      ActionLog log,
      String version)
      throws IOException {
    this(
        config,
        source,
        gitPass,
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
      GitPass gitPass,
      AgentMetrics metrics,
      Clock clock,
      ActionLog log,
      String version,
      NixSystems nix)
      throws IOException {
    this.loop =
        new PassLoop(this::pass, e -> log.event("pass crashed", "error", String.valueOf(e)), clock);
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
    this.interval = config.interval();
    this.source = source;
    this.gitPass = gitPass;
    this.metrics = metrics;
    this.clock = clock;
    this.log = log;
    this.events = new AgentEvents(log, new EventJournal(EventJournal.DEFAULT_CAPACITY, clock));
    this.suspensions = new Suspensions(config.stateDir(), config.sync().suspend());
    this.status =
        new StatusBook(
            host.name(),
            version,
            SourceStatus.initial(config.source().url(), config.source().ref().describe()));
    this.revisions =
        new RevisionGate(
            host,
            source,
            config.source().verify() != null,
            status,
            metrics,
            backoff,
            log,
            events,
            clock);
    this.recorder = new PassRecorder(status, metrics, log, clock);
    this.policies = new SyncPolicy(config.sync(), suspensions, backoff);
    this.rollouts = new RolloutStep(host, new RevisionSightings(config.stateDir()), metrics, clock);
    this.fleetReport = new FleetReport(metrics);
    metrics.suspended(suspensions.all());
    metrics.host(host.name(), host.labels());
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
    DesiredRevision current = revisions.desired();
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
  public EventJournal.Page events(long after) {
    return events.journal().after(after);
  }

  /** Who hears of every event of the agent as it happens (the notifications); it must not block. */
  public void onEvent(java.util.function.Consumer<AgentEvent> listener) {
    events.journal().listen(listener);
  }

  /**
   * Ready once the first pass has ended; live while the loop makes progress: a pass that shows no
   * sign of life for the stall limit, or no pass for two poll intervals beyond it, is not.
   */
  @Override
  public Health health() {
    boolean ready = status.isReady();
    LoopProgress progress = loop.progress();
    if (progress.stalled(clock.instant(), stallLimit, interval)) {
      return Health.stalled(
          ready,
          (progress.passRunning() ? "the running pass has shown no progress for " : "no pass for ")
              + progress.quietFor(clock.instant()).toSeconds()
              + " s");
    }
    return Health.live(ready);
  }

  /** How long a pass may show no progress before the agent counts as stalled (default 45 min). */
  public void stallLimit(Duration limit) {
    this.stallLimit = limit;
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
    recorder.observer(observer);
  }

  /**
   * Who records each revision a pass applied (changes made, whatever their outcome): the source
   * refuses a later revision that does not descend from it.
   */
  public void onApplied(AppliedRecorder recorder) {
    this.appliedRecorder = recorder;
  }

  /**
   * Where the commit this host applied last is read from (kept across restarts): a rollout's gate
   * does not hold it back again, and while the gate holds a newer one, the host keeps applying it.
   */
  public void appliedFrom(AppliedCommit applied) {
    this.appliedCommit = applied;
  }

  /** Who reads the fleet's state for a Rollout's gate (the agent's: its Prometheus server). */
  public void readFleetWith(
      java.util.function.Function<RolloutSpec.PrometheusGate, FleetObserver> readers) {
    rollouts.readFleetWith(readers);
  }

  /** Who arranges a pass when the earliest backoff ends. */
  public void retryWith(java.util.function.Consumer<Instant> scheduler) {
    this.retryScheduler = scheduler;
  }

  private void pass(String trigger) {
    PassRecorder.Start start = recorder.start();
    PassResult result = PassResult.SUCCESS;
    List<String> actions = new ArrayList<>();
    String revision = null;
    try {
      DesiredRevision newest = revisions.desired();
      // A change on the host, or a build that ended, needs no new look at the source.
      if (!(trigger.equals("host-event") || trigger.equals("build")) || newest == null) {
        newest = revisions.poll();
      }
      if (newest == null) {
        result = PassResult.NO_REVISION;
        return;
      }
      Instant now = clock.instant();
      RolloutStep.Choice choice = rollouts.choose(newest, appliedCommit.commit(), now);
      DesiredRevision desired = choice.goes() ? newest : heldAt();
      if (desired == null) {
        reportRollout(choice, List.of(), now);
        scheduleNext(choice);
        result = PassResult.HELD; // nothing applied yet, and the gate holds the newest back
        return;
      }
      revision = desired.revision();
      status.attempted(
          !choice.goes() || status.source().fetchedRevision() == null
              ? revision
              : status.source().fetchedRevision());
      result = apply(desired, choice, actions);
      if (result == PassResult.SUCCESS && !choice.goes()) {
        result = PassResult.HELD; // the host runs its revision; the newest waits for the gate
      } else if (result == PassResult.SUCCESS && revisions.newestRejected()) {
        // the host runs the last good revision; the newest one was refused
        result = PassResult.INVALID;
      }
      events.passRan();
    } catch (RuntimeException | Error | IOException e) {
      // An Error too (out of memory on some input): the pass failed, the loop goes on.
      result = PassResult.ERROR;
      events.passFailed(e);
      status.errors(
          List.of("pass failed: " + (e instanceof Error ? e.toString() : e.getMessage())));
    } finally {
      recorder.finished(start, trigger, revision, result, actions);
    }
  }

  /**
   * The revision a held host keeps applying (and self-healing): the one it applied last, read again
   * from the source's cache after a restart; null when it has applied none.
   */
  private DesiredRevision heldAt() {
    Optional<String> applied = appliedCommit.commit();
    if (applied.isEmpty()) {
      return null;
    }
    DesiredRevision current = running;
    if (current == null || !current.revision().equals(applied.get())) {
      current = revisions.applied(applied.get());
      running = current;
    }
    return current;
  }

  /** The rollout's part of the status and the metrics, after a pass decided and applied. */
  private void reportRollout(
      RolloutStep.Choice choice, List<ContainerResult> results, Instant now) {
    metrics.wave(choice.wave());
    if (choice.candidate().rollout().isEmpty()) {
      status.noRollout();
      metrics.rolloutHeld(Optional.empty());
      return;
    }
    Optional<ContainerResult> windowed =
        results.stream()
            .filter(r -> r.skip().orElse(null) == SkipReason.OUTSIDE_WINDOW)
            .findFirst();
    String reason = null;
    String message;
    if (choice.hold().isPresent()) {
      reason = choice.hold().get().reason().camelCase();
      message = choice.hold().get().message();
    } else if (windowed.isPresent()) {
      reason = HoldReason.OUTSIDE_WINDOW.camelCase();
      message = windowed.get().name() + ": " + windowed.get().message();
    } else {
      message = "the host applies revision " + choice.candidate().revision();
    }
    status.rollout(choice.wave(), choice.candidate().revision(), reason, message, now);
    metrics.rolloutHeld(Optional.ofNullable(reason));
    events.rollout(
        choice.candidate().revision(),
        choice.wave(),
        choice.hold().isPresent() ? reason : null,
        message);
  }

  private PassResult apply(
      DesiredRevision desired, RolloutStep.Choice choice, List<String> actions) {
    Instant now = clock.instant();
    PassPolicy policy = policies.at(now, desired.containers()).withHeld(choice.heldActions());
    ApplyReport report;
    try {
      report =
          gitPass.apply(
              new GitPass.Desired(
                  host.name(),
                  Optional.of(desired.revision()),
                  desired.containers(),
                  desired.zones()),
              nix.source(desired.files()),
              policy,
              new PassListener(desired.revision(), log, events, loop::progressed));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (report.isRefused()) {
      status.errors(List.of("MassPruneRefused: " + report.refusal()));
      events.pruneRefused(desired.revision(), report.refusal());
      metrics.action("remove", "refused");
      reportRollout(choice, List.of(), now);
      return PassResult.REFUSED;
    }
    events.pruneAllowed();
    if (!suspensions.all()) {
      recordApplied(desired.revision());
      running = desired;
    }
    Map<String, Container> byName =
        desired.containers().stream()
            .collect(Collectors.toMap(Container::name, Function.identity()));
    Set<String> present = new HashSet<>(byName.keySet());
    Set<String> suspendedNames = suspensions.all() ? byName.keySet() : suspensions.containers();
    synchronized (this) {
      retryAt.clear();
    }
    for (ContainerResult result : report.results()) {
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
      if (result.outcome() == Outcome.ROLLED_BACK) {
        metrics.rolledBack(result.name());
      }
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
    reportRollout(choice, report.results(), now);
    if (!suspensions.all()) {
      fleetReport.passApplied(
          desired.revision(), present, report.results(), report.converged(), clock.instant());
    }
    scheduleNext(choice);
    if (!report.converged()) {
      return PassResult.FAILED;
    }
    if (suspensions.all()) {
      return PassResult.SUSPENDED; // observed only: the revision is not applied
    }
    if (!desired.revision().equals(status.lastAppliedRevision())) {
      events.revisionApplied(desired.revision(), present.size());
    }
    status.applied(desired.revision());
    return PassResult.SUCCESS;
  }

  /**
   * Arranges the next pass for the earliest of: a backoff's end, the end of a rollout's soak or
   * jitter, a maintenance window's opening, and {@link #HELD_RECHECK} while waiting for another
   * wave (each poll looks again too).
   */
  private void scheduleNext(RolloutStep.Choice choice) {
    List<Instant> times = new ArrayList<>();
    synchronized (this) {
      times.addAll(retryAt.values());
    }
    choice
        .hold()
        .map(hold -> hold.recheckAt().orElse(clock.instant().plus(HELD_RECHECK)))
        .ifPresent(times::add);
    choice.heldActions().until().values().stream()
        .filter(at -> !at.equals(HeldActions.NEVER))
        .forEach(times::add);
    times.stream().min(Instant::compareTo).ifPresent(retryScheduler);
  }

  private void recordApplied(String revision) {
    try {
      appliedRecorder.record(revision);
    } catch (IOException e) {
      // The pass's changes are made; without the record only the rewind check is weaker.
      log.event("applied revision not recorded", "revision", revision, "error", e.getMessage());
    }
  }

  @Override
  public void close() throws InterruptedException {
    loop.close();
    nix.close();
    source.close();
  }
}
