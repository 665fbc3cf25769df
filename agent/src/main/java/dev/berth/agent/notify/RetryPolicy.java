package dev.berth.agent.notify;

import java.time.Duration;

/**
 * How often an event is tried before it is given up, and how long the waits between tries are:
 * {@code first}, then doubling, never above {@code max}.
 */
public record RetryPolicy(Duration first, Duration max, int attempts) {
  /** 1 s, 2 s, 4 s, 8 s, 16 s between six attempts: about half a minute for one event. */
  public static final RetryPolicy DEFAULT =
      new RetryPolicy(Duration.ofSeconds(1), Duration.ofMinutes(1), 6);

  public RetryPolicy {
    if (attempts < 1 || first.isNegative() || max.compareTo(first) < 0) {
      throw new IllegalArgumentException(
          "a retry policy tries at least once, and waits ever longer");
    }
  }

  /** The wait after failed attempt {@code attempt} (1 for the first). */
  public Duration delayAfter(int attempt) {
    Duration delay = first.multipliedBy(1L << Math.min(attempt - 1, 20));
    return delay.compareTo(max) > 0 ? max : delay;
  }
}
