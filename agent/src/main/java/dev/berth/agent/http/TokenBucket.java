package dev.berth.agent.http;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * A token bucket: {@code burst} triggers at once, then one per {@code period}. Triggers coalesce in
 * the agent anyway; this only keeps a flood from costing more than a steady trickle.
 */
final class TokenBucket {
  private final long capacity;
  private final long periodNanos;
  private final LongSupplier nanoTime;
  private long tokens;
  private long refilledAt;

  TokenBucket(int burst, Duration period) {
    this(burst, period, System::nanoTime);
  }

  TokenBucket(int burst, Duration period, LongSupplier nanoTime) {
    if (burst < 1 || period.isNegative() || period.isZero()) {
      throw new IllegalArgumentException("a token bucket needs a burst >= 1 and a positive period");
    }
    this.capacity = burst;
    this.periodNanos = period.toNanos();
    this.nanoTime = nanoTime;
    this.tokens = burst;
    this.refilledAt = nanoTime.getAsLong();
  }

  /** Takes a token: {@link Duration#ZERO} if there was one, else how long until the next. */
  synchronized Duration tryTake() {
    refill();
    if (tokens > 0) {
      tokens--;
      return Duration.ZERO;
    }
    return Duration.ofNanos(periodNanos - (nanoTime.getAsLong() - refilledAt));
  }

  private void refill() {
    long now = nanoTime.getAsLong();
    long earned = (now - refilledAt) / periodNanos;
    if (earned > 0) {
      tokens = Math.min(capacity, tokens + earned);
      // A full bucket earns nothing while it waits, so it restarts its clock now.
      refilledAt = tokens == capacity ? now : refilledAt + earned * periodNanos;
    }
  }
}
