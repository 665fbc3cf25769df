package dev.berth.agent.daemon;

import java.time.Duration;
import java.time.Instant;

/**
 * How the reconcile loop is doing, for a watchdog: whether a pass is running, and its last sign of
 * life (a pass started or ended, an action started or finished).
 */
public record LoopProgress(boolean passRunning, Instant lastSign, long passesFinished) {

  /**
   * Whether the loop is stuck at {@code now}: a running pass has shown no sign of life for longer
   * than {@code stallLimit}, or, between passes, no pass has started although a poll every {@code
   * interval} should have started one (two intervals of slack for the poll's random phase).
   */
  public boolean stalled(Instant now, Duration stallLimit, Duration interval) {
    Duration allowed = passRunning ? stallLimit : stallLimit.plus(interval.multipliedBy(2));
    return Duration.between(lastSign, now).compareTo(allowed) > 0;
  }

  /** How long the loop has shown no sign of life at {@code now}. */
  public Duration quietFor(Instant now) {
    return Duration.between(lastSign, now);
  }
}
