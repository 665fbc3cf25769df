package dev.berth.agent.source;

import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A semantic version (semver.org 2.0.0), ordered by precedence; build metadata is ignored. */
record SemVer(long major, long minor, long patch, List<String> preRelease)
    implements Comparable<SemVer> {

  private static final String NUMBER = "0|[1-9]\\d{0,17}";
  private static final String IDENTIFIER = "(?:" + NUMBER + "|\\d*[a-zA-Z-][0-9a-zA-Z-]*)";
  private static final Pattern FORMAT =
      Pattern.compile(
          "("
              + NUMBER
              + ")\\.("
              + NUMBER
              + ")\\.("
              + NUMBER
              + ")"
              + "(?:-("
              + IDENTIFIER
              + "(?:\\."
              + IDENTIFIER
              + ")*))?"
              + "(?:\\+[0-9a-zA-Z-]+(?:\\.[0-9a-zA-Z-]+)*)?");

  /** The smallest version there is: nothing precedes 0.0.0-0. */
  static final SemVer MIN = new SemVer(0, 0, 0, List.of("0"));

  SemVer {
    preRelease = List.copyOf(preRelease);
  }

  static SemVer of(long major, long minor, long patch) {
    return new SemVer(major, minor, patch, List.of());
  }

  /** Parses a strict version, or a tag name that is one with a leading {@code v}. */
  static Optional<SemVer> parseTag(String tag) {
    String text = tag.startsWith("v") ? tag.substring(1) : tag;
    Matcher m = FORMAT.matcher(text);
    if (!m.matches()) {
      return Optional.empty();
    }
    if (m.group(1).length() > 18 || m.group(2).length() > 18 || m.group(3).length() > 18) {
      return Optional.empty(); // not a version berth can order (a long overflows): not a candidate
    }
    List<String> pre = m.group(4) == null ? List.of() : List.of(m.group(4).split("\\."));
    return Optional.of(
        new SemVer(
            Long.parseLong(m.group(1)),
            Long.parseLong(m.group(2)),
            Long.parseLong(m.group(3)),
            pre));
  }

  boolean isPreRelease() {
    return !preRelease.isEmpty();
  }

  @Override
  public int compareTo(SemVer other) {
    int c = Long.compare(major, other.major);
    if (c == 0) {
      c = Long.compare(minor, other.minor);
    }
    if (c == 0) {
      c = Long.compare(patch, other.patch);
    }
    return c != 0 ? c : comparePreRelease(preRelease, other.preRelease);
  }

  // A version without a pre-release has the higher precedence (1.0.0-rc.1 < 1.0.0).
  private static int comparePreRelease(List<String> a, List<String> b) {
    if (a.isEmpty() || b.isEmpty()) {
      return Boolean.compare(a.isEmpty(), b.isEmpty());
    }
    for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
      int c = compareIdentifier(a.get(i), b.get(i));
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(a.size(), b.size());
  }

  private static int compareIdentifier(String a, String b) {
    boolean aNumeric = a.chars().allMatch(Character::isDigit);
    boolean bNumeric = b.chars().allMatch(Character::isDigit);
    if (aNumeric && bNumeric) {
      return a.length() != b.length() ? Integer.compare(a.length(), b.length()) : a.compareTo(b);
    }
    if (aNumeric || bNumeric) {
      return aNumeric ? -1 : 1; // numeric identifiers sort before alphanumeric ones
    }
    return a.compareTo(b);
  }

  @Override
  public String toString() {
    String core = major + "." + minor + "." + patch;
    return preRelease.isEmpty() ? core : core + "-" + String.join(".", preRelease);
  }
}
