package dev.berth.agent.daemon;

import dev.berth.agent.status.PassRecord;
import dev.berth.agent.systemd.NotifySocket;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Tells systemd how the agent is doing, over {@code sd_notify}: {@code READY=1} once the first pass
 * has ended (so that {@code systemctl start} returns when the host has converged or has tried to),
 * {@code STATUS=} after each pass, {@code WATCHDOG=1} only while the reconcile loop makes progress,
 * so that a stuck pass stops the pings and systemd restarts the agent, and {@code STOPPING=1} on
 * shutdown. Before it is ready, a first pass that makes progress extends the start timeout ({@code
 * EXTEND_TIMEOUT_USEC=}), so that a long first pass is not taken for a hung start but a stuck one
 * is.
 */
public final class ServiceHeartbeat implements AutoCloseable {
  /** How often to look at the loop when the unit sets no watchdog (for the start timeout). */
  static final Duration TICK = Duration.ofSeconds(10);

  private final NotifySocket socket;
  private final Optional<Duration> watchdog;
  private final Supplier<LoopProgress> progress;
  private final Supplier<List<StackTraceElement>> passStack;
  private final Duration stallLimit;
  private final Duration interval;
  private final Clock clock;
  private final ActionLog log;
  private final Duration tick;
  private final ScheduledExecutorService ticker =
      Executors.newSingleThreadScheduledExecutor(
          runnable -> {
            Thread thread = new Thread(runnable, "berth-watchdog");
            thread.setDaemon(true);
            return thread;
          });
  private volatile boolean ready;
  private boolean stalled;
  private boolean sendFailed;

  ServiceHeartbeat(
      NotifySocket socket,
      Optional<Duration> watchdog,
      Supplier<LoopProgress> progress,
      Supplier<List<StackTraceElement>> passStack,
      Duration stallLimit,
      Duration interval,
      Clock clock,
      ActionLog log) {
    this.socket = socket;
    this.watchdog = watchdog;
    this.progress = progress;
    this.passStack = passStack;
    this.stallLimit = stallLimit;
    this.interval = interval;
    this.clock = clock;
    this.log = log;
    Duration half = watchdog.map(w -> w.dividedBy(2)).orElse(TICK);
    this.tick = half.compareTo(TICK) < 0 ? half : TICK;
  }

  /**
   * A heartbeat for {@code agent} that hears of its passes: a pass that shows no sign of life for
   * {@code stallLimit} counts as stuck. {@code interval} is how often the agent polls its source.
   */
  public static ServiceHeartbeat forAgent(
      Agent agent,
      NotifySocket socket,
      Optional<Duration> watchdog,
      Duration stallLimit,
      Duration interval) {
    ServiceHeartbeat heartbeat =
        new ServiceHeartbeat(
            socket,
            watchdog,
            agent::progress,
            agent::passStack,
            stallLimit,
            interval,
            Clock.systemUTC(),
            Agent.stdoutLog());
    agent.afterEachPass(heartbeat::passFinished);
    return heartbeat;
  }

  /** Starts looking at the loop every half watchdog interval (at most every 10 s). */
  public void start() {
    send("STATUS=first reconcile pass running");
    ticker.scheduleAtFixedRate(this::tickSafely, 0, tick.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** The start timeout is extended by this much at each tick before the agent is ready. */
  Duration extension() {
    return tick.multipliedBy(3);
  }

  void passFinished(PassRecord pass) {
    String status = "STATUS=" + describe(pass);
    if (ready) {
      send(status);
    } else {
      ready = true;
      send("READY=1", status);
    }
  }

  /** Pings the watchdog, or extends the start timeout, only while the loop makes progress. */
  synchronized void tick() {
    Instant now = clock.instant();
    LoopProgress loop = progress.get();
    boolean stuck = loop.stalled(now, stallLimit, interval);
    if (stuck != stalled) {
      stalled = stuck;
      if (stuck) {
        String quiet = loop.quietFor(now).toSeconds() + " s";
        log.event(
            "reconcile loop stalled",
            "pass_running",
            loop.passRunning(),
            "quiet_for",
            quiet,
            "watchdog",
            "pings withheld",
            "pass_at",
            where(passStack.get()));
        send(
            "STATUS=reconcile loop stalled: no progress for "
                + quiet
                + "; watchdog pings withheld, systemd will restart the agent");
      } else {
        log.event("reconcile loop progressing again");
      }
    }
    if (stuck) {
      return;
    }
    if (ready) {
      if (watchdog.isPresent()) {
        send("WATCHDOG=1");
      }
    } else {
      send("EXTEND_TIMEOUT_USEC=" + extension().toNanos() / 1000);
    }
  }

  private void tickSafely() {
    try {
      tick();
    } catch (RuntimeException e) {
      log.event("watchdog tick failed", "error", e.toString());
    }
  }

  /** Says the agent is stopping; the shutdown that follows may wait for a running pass. */
  public void stopping() {
    ticker.shutdownNow();
    send("STOPPING=1", "STATUS=stopping: waiting for a running pass to end");
  }

  private synchronized void send(String... assignments) {
    try {
      socket.send(assignments);
    } catch (IOException | RuntimeException e) {
      if (!sendFailed) {
        sendFailed = true;
        log.event("sd_notify failed", "socket", socket, "error", e.toString());
      }
    }
  }

  /** The innermost frames of the pass's stack, innermost first: what it is waiting for. */
  static String where(List<StackTraceElement> stack) {
    return stack.isEmpty()
        ? null
        : stack.stream()
            .limit(12)
            .map(StackTraceElement::toString)
            .collect(Collectors.joining(" < "));
  }

  static String describe(PassRecord pass) {
    String revision =
        pass.revision() == null
            ? "no revision"
            : "revision " + pass.revision().substring(0, Math.min(12, pass.revision().length()));
    return "last pass "
        + pass.result()
        + " at "
        + revision
        + ": "
        + pass.actions().size()
        + (pass.actions().size() == 1 ? " action" : " actions")
        + " in "
        + pass.duration().toMillis()
        + " ms ("
        + pass.trigger()
        + ")";
  }

  @Override
  public void close() throws IOException, InterruptedException {
    ticker.shutdownNow();
    ticker.awaitTermination(5, TimeUnit.SECONDS);
    socket.close();
  }
}
