package dev.berth.reconciler.parse;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as manifests write them, the way Go's {@code time.ParseDuration} and Kubernetes do:
 * whole numbers with a unit each, largest first or not ({@code 10m}, {@code 1h30m}, {@code 500ms},
 * {@code 0s}, or a bare {@code 0}); units {@code h}, {@code m}, {@code s}, {@code ms}. No sign, no
 * fraction, and never more than {@link #MAX}, so that no sum can overflow.
 */
public final class DurationText {
  /** The longest duration a manifest may write; each field's own bound is at most this. */
  public static final Duration MAX = Duration.ofDays(366);

  private static final Pattern PART = Pattern.compile("([0-9]+)(ms|h|m|s)");

  private DurationText() {}

  /**
   * The duration {@code text} says; one that is malformed or above {@link #MAX} is an {@link
   * IllegalArgumentException} whose message says why, for a user.
   */
  public static Duration parse(String text) {
    if (text.equals("0")) {
      return Duration.ZERO;
    }
    Matcher part = PART.matcher(text);
    Duration total = Duration.ZERO;
    int end = 0;
    while (end < text.length() && part.find(end) && part.start() == end) {
      total = total.plus(amount(part.group(1), part.group(2), text));
      if (total.compareTo(MAX) > 0) {
        throw tooLong(text);
      }
      end = part.end();
    }
    if (end == 0 || end != text.length()) {
      throw new IllegalArgumentException(
          "\""
              + text
              + "\" is not a duration: write whole numbers with units h, m, s or ms, such as"
              + " 10m or 1h30m");
    }
    return total;
  }

  /** {@code duration} as {@link #parse} reads it, in whole units: {@code 1h30m}, {@code 0s}. */
  public static String format(Duration duration) {
    if (duration.isZero()) {
      return "0s";
    }
    StringBuilder out = new StringBuilder();
    append(out, duration.toHours(), "h");
    append(out, duration.toMinutesPart(), "m");
    append(out, duration.toSecondsPart(), "s");
    append(out, duration.toMillisPart(), "ms");
    return out.toString();
  }

  private static Duration amount(String digits, String unit, String text) {
    // More digits than MAX has in milliseconds cannot be in range, and would not fit in a long.
    if (digits.replaceFirst("^0+(?=.)", "").length() > 12) {
      throw tooLong(text);
    }
    long amount = Long.parseLong(digits);
    return switch (unit) {
      case "h" -> Duration.ofHours(amount);
      case "m" -> Duration.ofMinutes(amount);
      case "s" -> Duration.ofSeconds(amount);
      case "ms" -> Duration.ofMillis(amount);
      default -> throw new IllegalStateException("unit " + unit);
    };
  }

  private static void append(StringBuilder out, long amount, String unit) {
    if (amount != 0) {
      out.append(amount).append(unit);
    }
  }

  private static IllegalArgumentException tooLong(String text) {
    return new IllegalArgumentException(
        "\"" + text + "\" is longer than berth takes (" + format(MAX) + ")");
  }
}
