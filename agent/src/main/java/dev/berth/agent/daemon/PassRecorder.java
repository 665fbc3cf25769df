package dev.berth.agent.daemon;

import dev.berth.agent.status.PassRecord;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;

/**
 * Records each pass when it ends, however it ends (it is called from the pass's {@code finally}):
 * the pass in the status, which makes the agent ready, its metrics, one journal line, and the
 * observer (the systemd notifier).
 */
final class PassRecorder {
  /** When a pass began, by the wall clock and by its thread's CPU time. */
  record Start(Instant at, long cpuNanos) {}

  private final StatusBook status;
  private final AgentMetrics metrics;
  private final ActionLog log;
  private final Clock clock;
  private volatile Consumer<PassRecord> observer = pass -> {};

  PassRecorder(StatusBook status, AgentMetrics metrics, ActionLog log, Clock clock) {
    this.status = status;
    this.metrics = metrics;
    this.log = log;
    this.clock = clock;
  }

  /** Who hears of each pass when it has ended; its failures are logged, not thrown. */
  void observer(Consumer<PassRecord> observer) {
    this.observer = observer;
  }

  Start start() {
    return new Start(clock.instant(), threadCpuNanos());
  }

  /** The pass that began at {@code start} ended with {@code result} at {@code revision}. */
  void finished(
      Start start, String trigger, String revision, PassResult result, List<String> actions) {
    Duration duration = Duration.between(start.at(), clock.instant());
    Duration cpu = Duration.ofNanos(Math.max(0, threadCpuNanos() - start.cpuNanos()));
    PassRecord record =
        new PassRecord(start.at(), duration, cpu, revision, trigger, result.label(), actions);
    // Metrics first: whoever sees the pass in the status sees its metrics too.
    metrics.passFinished(duration, result);
    metrics.containers(status.containers(), revision);
    status.pass(record);
    status.ready();
    log.event(
        "pass",
        "trigger",
        trigger,
        "revision",
        revision,
        "result",
        result.label(),
        "duration_ms",
        duration.toMillis(),
        "cpu_ms",
        cpu.toMillis(),
        "actions",
        actions.size());
    try {
      observer.accept(record);
    } catch (RuntimeException e) {
      log.event("pass observer failed", "error", e.toString());
    }
  }

  /**
   * CPU time of the pass's own thread, in nanoseconds; a pass that activates containers also uses
   * worker threads, which this leaves out (their time is mostly waiting for systemd anyway).
   */
  private static long threadCpuNanos() {
    var threads = ManagementFactory.getThreadMXBean();
    return threads.isCurrentThreadCpuTimeSupported() ? threads.getCurrentThreadCpuTime() : 0;
  }
}
