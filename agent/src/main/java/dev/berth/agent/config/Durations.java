package dev.berth.agent.config;

import java.time.Duration;

/** Durations as the config writes them: {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h}. */
public final class Durations {
  private Durations() {}

  /**
   * The duration {@code text} says, or {@code fallback} when it is null; one that is malformed or
   * too large for a {@link Duration} in milliseconds is an {@link IllegalArgumentException}.
   */
  public static Duration parse(String text, Duration fallback) {
    if (text == null) {
      return fallback;
    }
    try {
      Duration duration;
      if (text.endsWith("ms")) {
        duration = Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2)));
      } else {
        long amount = Long.parseLong(text.substring(0, text.length() - 1));
        duration =
            switch (text.charAt(text.length() - 1)) {
              case 's' -> Duration.ofSeconds(amount);
              case 'm' -> Duration.ofMinutes(amount);
              case 'h' -> Duration.ofHours(amount);
              default -> throw new IllegalArgumentException("not a duration: " + text);
            };
      }
      duration.toMillis(); // what the schedulers take: it must fit
      return duration;
    } catch (ArithmeticException | IndexOutOfBoundsException e) {
      throw new IllegalArgumentException("not a duration in range: " + text, e);
    }
  }

  /** The way the config writes {@code duration}, in its largest whole unit: 1s, 24h, 1500ms. */
  public static String format(Duration duration) {
    long millis = duration.toMillis();
    if (millis % 3_600_000 == 0 && millis != 0) {
      return millis / 3_600_000 + "h";
    }
    if (millis % 60_000 == 0 && millis != 0) {
      return millis / 60_000 + "m";
    }
    if (millis % 1000 == 0) {
      return millis / 1000 + "s";
    }
    return millis + "ms";
  }
}
