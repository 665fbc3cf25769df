package dev.berth.reconciler.validate;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The ranges systemd 252 accepts for the values berth writes as they are: outside them systemd logs
 * "out of range, ignoring" and the unit runs without the limit. Each method returns a reason, or
 * null when the value is in range; it is called on text that already has the setting's syntax.
 */
final class SystemdLimits {
  /** UINT64_MAX, systemd's "infinity" for sizes, task counts and time spans in microseconds. */
  static final BigInteger UINT64_MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

  /** The largest number a limit may be: one below what systemd means by infinity. */
  static final BigInteger LARGEST = UINT64_MAX.subtract(BigInteger.ONE);

  /** CPUQuota= is read in hundredths of a percent into an int. */
  private static final BigDecimal LARGEST_CPU_QUOTA =
      BigDecimal.valueOf(Integer.MAX_VALUE).movePointLeft(2);

  private static final Map<Character, Integer> SIZE_SHIFT =
      Map.of('K', 10, 'M', 20, 'G', 30, 'T', 40, 'P', 50, 'E', 60);
  private static final Pattern SPAN_PART = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([a-z]*)\\s*");
  private static final Map<String, BigInteger> USEC_PER =
      Map.ofEntries(
          Map.entry("", BigInteger.valueOf(1_000_000)),
          Map.entry("us", BigInteger.ONE),
          Map.entry("usec", BigInteger.ONE),
          Map.entry("ms", BigInteger.valueOf(1_000)),
          Map.entry("msec", BigInteger.valueOf(1_000)),
          Map.entry("s", BigInteger.valueOf(1_000_000)),
          Map.entry("sec", BigInteger.valueOf(1_000_000)),
          Map.entry("second", BigInteger.valueOf(1_000_000)),
          Map.entry("seconds", BigInteger.valueOf(1_000_000)),
          Map.entry("m", BigInteger.valueOf(60_000_000)),
          Map.entry("min", BigInteger.valueOf(60_000_000)),
          Map.entry("minute", BigInteger.valueOf(60_000_000)),
          Map.entry("minutes", BigInteger.valueOf(60_000_000)),
          Map.entry("h", BigInteger.valueOf(3_600_000_000L)),
          Map.entry("hr", BigInteger.valueOf(3_600_000_000L)),
          Map.entry("hour", BigInteger.valueOf(3_600_000_000L)),
          Map.entry("hours", BigInteger.valueOf(3_600_000_000L)),
          Map.entry("d", BigInteger.valueOf(86_400_000_000L)),
          Map.entry("day", BigInteger.valueOf(86_400_000_000L)),
          Map.entry("days", BigInteger.valueOf(86_400_000_000L)),
          Map.entry("w", BigInteger.valueOf(604_800_000_000L)),
          Map.entry("week", BigInteger.valueOf(604_800_000_000L)),
          Map.entry("weeks", BigInteger.valueOf(604_800_000_000L)));

  private SystemdLimits() {}

  /** MemoryMax=: 1 byte to 2^64-2 bytes, or more than 0% and at most 100% of the host's memory. */
  static String memory(String value) {
    if (value.equals("infinity")) {
      return null;
    }
    if (value.endsWith("%")) {
      return percent(value, BigDecimal.valueOf(100), "of the host's memory");
    }
    char last = value.charAt(value.length() - 1);
    Integer shift = SIZE_SHIFT.get(last);
    String digits = shift == null ? value : value.substring(0, value.length() - 1);
    BigInteger bytes = new BigInteger(digits).shiftLeft(shift == null ? 0 : shift);
    if (bytes.signum() == 0) {
      return "0 is no memory at all, which systemd ignores; the least is 1";
    }
    if (bytes.compareTo(LARGEST) > 0) {
      return value
          + " is more than the largest size systemd takes, "
          + LARGEST
          + " bytes (16E less 2 bytes); say infinity for no limit";
    }
    return null;
  }

  /** TasksMax=: 1 to 2^64-2 tasks, or a percentage of the host's limit up to 100%. */
  static String tasks(String value) {
    if (value.equals("infinity")) {
      return null;
    }
    if (value.endsWith("%")) {
      String hundredths = hundredths(value);
      if (hundredths != null) {
        return hundredths;
      }
      return number(value).compareTo(BigDecimal.valueOf(100)) > 0
          ? value + " is more than 100% of the host's limit, which systemd ignores"
          : null;
    }
    BigInteger tasks = new BigInteger(value);
    if (tasks.signum() == 0) {
      return "0 tasks is no process at all, which systemd ignores; the least is 1";
    }
    if (tasks.compareTo(LARGEST) > 0) {
      return value
          + " is more than the largest number systemd takes, "
          + LARGEST
          + "; say infinity for no limit";
    }
    return null;
  }

  /** CPUQuota=: more than 0%, at most 21474836.47% (hundredths of a percent in an int). */
  static String cpuQuota(String value) {
    return percent(value, LARGEST_CPU_QUOTA, "of one CPU");
  }

  /**
   * TimeoutStartSec=: a span whose microseconds fit below 2^64-1 (about 584542 years); systemd
   * ignores a longer one.
   */
  static String timeSpan(String value) {
    if (value.equals("infinity")) {
      return null;
    }
    BigDecimal usec = BigDecimal.ZERO;
    Matcher part = SPAN_PART.matcher(value);
    while (part.find()) {
      BigInteger unit = USEC_PER.get(part.group(2));
      if (unit == null) {
        return null; // the syntax check reports it
      }
      usec = usec.add(new BigDecimal(part.group(1)).multiply(new BigDecimal(unit)));
    }
    if (usec.toBigInteger().compareTo(UINT64_MAX) >= 0) {
      return value
          + " is longer than the longest span systemd takes (2^64-2 microseconds, about 584542"
          + " years); say infinity for no timeout";
    }
    return null;
  }

  /**
   * PrivateUsers=: a base UID that is a valid UID (below 2^32-1, and not 65535), with a range of at
   * least 1 that ends within the UIDs.
   */
  static String privateUsers(String value) {
    int colon = value.indexOf(':');
    if (!Character.isDigit(value.charAt(0))) {
      return null;
    }
    long uidEnd = 1L << 32;
    BigInteger base = new BigInteger(colon < 0 ? value : value.substring(0, colon));
    BigInteger range =
        colon < 0 ? BigInteger.valueOf(0x10000) : new BigInteger(value.substring(colon + 1));
    if (base.compareTo(BigInteger.valueOf(uidEnd - 1)) >= 0 || base.intValue() == 0xFFFF) {
      return base + " is not a UID systemd takes (0 to 4294967294, and not 65535)";
    }
    if (range.signum() == 0) {
      return "a range of 0 UIDs is empty, which systemd ignores";
    }
    if (base.add(range).compareTo(BigInteger.valueOf(uidEnd - 1)) > 0) {
      return "the range "
          + base
          + ":"
          + range
          + " ends beyond the last UID, 4294967294, which systemd ignores";
    }
    return null;
  }

  private static String percent(String value, BigDecimal largest, String of) {
    String hundredths = hundredths(value);
    if (hundredths != null) {
      return hundredths;
    }
    BigDecimal percent = number(value);
    if (percent.signum() == 0) {
      return "0% is nothing at all, which systemd ignores";
    }
    if (percent.compareTo(largest) > 0) {
      return value
          + " is more than "
          + largest.stripTrailingZeros().toPlainString()
          + "% "
          + of
          + ", which systemd ignores";
    }
    return null;
  }

  /** systemd reads a percentage to two decimals and ignores one with more. */
  private static String hundredths(String value) {
    int dot = value.indexOf('.');
    return dot >= 0 && value.length() - 1 - dot - 1 > 2
        ? value + " has more than two decimals, which systemd ignores"
        : null;
  }

  private static BigDecimal number(String percent) {
    return new BigDecimal(percent.substring(0, percent.length() - 1));
  }
}
