package dev.berth.reconciler.rollout;

import java.time.Duration;

/** Durations as a status line shows them: {@code 1h2m}, {@code 4m}, {@code 1m12s}, {@code 12s}. */
final class ShortDuration {
  private ShortDuration() {}

  /**
   * Rounded up (to the second, and to the minute from an hour on), so that a hold never says "0s
   * left".
   */
  static String of(Duration duration) {
    long seconds = Math.max(0, duration.plusNanos(999_999_999).getSeconds());
    if (seconds >= 3600) {
      long minutes = (seconds + 59) / 60;
      long rest = minutes % 60;
      return minutes / 60 + "h" + (rest == 0 ? "" : rest + "m");
    }
    long minutes = seconds / 60;
    long rest = seconds % 60;
    if (minutes == 0) {
      return rest + "s";
    }
    return minutes + "m" + (rest == 0 ? "" : rest + "s");
  }
}
