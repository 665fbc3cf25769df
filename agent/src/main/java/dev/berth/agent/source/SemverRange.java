package dev.berth.agent.source;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A range of semantic versions in npm's syntax: comparators ({@code >=1.2.0 <2.0.0}), caret ({@code
 * ^1.2}), tilde ({@code ~1.2.3}), X-ranges ({@code 1.x}, {@code *}), hyphen ranges ({@code 1.2 -
 * 1.4}) and {@code ||} alternatives. Pre-releases match only when the alternative itself names one
 * (as Flux does): {@code >=1.0.0-0} admits 1.3.0-rc.1, {@code ^1.0} does not; then {@code >=1.0.0-0
 * <2.0.0} admits 2.0.0-rc.1 too, and {@code <2.0.0-0} keeps it out.
 */
public final class SemverRange {

  private enum Op {
    LT,
    LE,
    EQ,
    GE,
    GT
  }

  private record Bound(Op op, SemVer version) {
    boolean test(SemVer v) {
      int c = v.compareTo(version);
      return switch (op) {
        case LT -> c < 0;
        case LE -> c <= 0;
        case EQ -> c == 0;
        case GE -> c >= 0;
        case GT -> c > 0;
      };
    }
  }

  private record Alternative(List<Bound> bounds, boolean admitsPreReleases) {
    boolean test(SemVer v) {
      return (admitsPreReleases || !v.isPreRelease()) && bounds.stream().allMatch(b -> b.test(v));
    }
  }

  /** A version as written in a range: missing or wildcard parts are null. */
  private record Partial(Long major, Long minor, Long patch, List<String> preRelease) {
    boolean complete() {
      return patch != null;
    }

    SemVer floor() {
      return new SemVer(
          major,
          minor == null ? 0 : minor,
          patch == null ? 0 : patch,
          complete() ? preRelease : List.of());
    }

    SemVer full() {
      return new SemVer(major, minor, patch, preRelease);
    }

    /** The first version after every version that this partial names (1.2 → 1.3.0-0). */
    SemVer ceiling() {
      return minor == null ? lowest(major + 1, 0, 0) : lowest(major, minor + 1, 0);
    }
  }

  private static final Pattern PARTIAL =
      Pattern.compile(
          "v?(x|X|\\*|\\d+)(?:\\.(x|X|\\*|\\d+)(?:\\.(x|X|\\*|\\d+)"
              + "(?:-([0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*))?(?:\\+[0-9A-Za-z.-]+)?)?)?");
  private static final Pattern OPERATOR = Pattern.compile("(<=|>=|<|>|=|\\^|~>?)?(.*)");

  private final String text;
  private final List<Alternative> alternatives;

  private SemverRange(String text, List<Alternative> alternatives) {
    this.text = text;
    this.alternatives = alternatives;
  }

  /** Parses a range; a malformed one is an {@link IllegalArgumentException} that says why. */
  public static SemverRange parse(String text) {
    List<Alternative> alternatives = new ArrayList<>();
    for (String part : text.split("\\|\\|", -1)) {
      alternatives.add(alternative(text, part.trim()));
    }
    return new SemverRange(text, List.copyOf(alternatives));
  }

  boolean test(SemVer version) {
    return alternatives.stream().anyMatch(a -> a.test(version));
  }

  /** The highest version in the range, if any. */
  Optional<SemVer> highest(List<SemVer> versions) {
    return versions.stream().filter(this::test).max(Comparator.naturalOrder());
  }

  @Override
  public String toString() {
    return text;
  }

  private static Alternative alternative(String range, String part) {
    List<String> tokens = tokens(part);
    List<Bound> bounds = new ArrayList<>();
    boolean preReleases = false;
    if (tokens.size() == 3 && tokens.get(1).equals("-")) {
      Partial from = partial(range, tokens.get(0));
      Partial to = partial(range, tokens.get(2));
      hyphen(from, to, bounds);
      preReleases = !from.preRelease().isEmpty() || !to.preRelease().isEmpty();
    } else {
      for (String token : tokens) {
        Matcher m = OPERATOR.matcher(token);
        m.matches();
        String op = m.group(1) == null ? "=" : m.group(1);
        if (m.group(2).matches("[<>=^~].*")) {
          throw notAVersion(range, token); // "<<" is the mistake, not the second "<"
        }
        Partial version = partial(range, m.group(2));
        preReleases |= !version.preRelease().isEmpty();
        desugar(op, version, bounds);
      }
    }
    return new Alternative(List.copyOf(bounds), preReleases);
  }

  // Splits on blanks and glues a lone operator to the version after it (">= 1.2" is ">=1.2").
  private static List<String> tokens(String part) {
    List<String> tokens = new ArrayList<>();
    String pending = "";
    for (String word : part.isEmpty() ? new String[0] : part.split("\\s+")) {
      if (word.matches("<=|>=|<|>|=|\\^|~>?")) {
        pending += word;
      } else {
        tokens.add(pending + word);
        pending = "";
      }
    }
    if (!pending.isEmpty()) {
      throw new IllegalArgumentException(
          "semver range \"" + part + "\" ends with an operator and no version");
    }
    if (tokens.isEmpty()) {
      tokens.add("*");
    }
    return tokens;
  }

  private static Partial partial(String range, String text) {
    Matcher m = PARTIAL.matcher(text);
    if (!m.matches()) {
      throw notAVersion(range, text);
    }
    Long major = number(range, m.group(1));
    Long minor = major == null ? null : number(range, m.group(2));
    Long patch = minor == null ? null : number(range, m.group(3));
    List<String> pre =
        patch == null || m.group(4) == null ? List.of() : List.of(m.group(4).split("\\."));
    return new Partial(major, minor, patch, pre);
  }

  private static IllegalArgumentException notAVersion(String range, String text) {
    return new IllegalArgumentException(
        "invalid semver range \""
            + range
            + "\": \""
            + text
            + "\" is not a version (write 1.2.3, 1.2, 1.x, ^1.2, ~1.2.3 or >=1.2.0 <2.0.0)");
  }

  private static Long number(String range, String part) {
    if (part == null || part.equalsIgnoreCase("x") || part.equals("*")) {
      return null;
    }
    // The ceiling of a range adds one to a part: keep that from overflowing too.
    if (part.length() > 18) {
      throw new IllegalArgumentException(
          "invalid semver range \"" + range + "\": " + part + " is too large for a version number");
    }
    return Long.parseLong(part);
  }

  private static void desugar(String op, Partial v, List<Bound> bounds) {
    switch (op) {
      case "=" -> exactOrX(v, bounds);
      case "~", "~>" -> tilde(v, bounds);
      case "^" -> caret(v, bounds);
      case ">" -> greater(v, bounds);
      case ">=" -> {
        if (v.major() != null) {
          bounds.add(new Bound(Op.GE, v.floor()));
        }
      }
      case "<" ->
          bounds.add(
              v.major() == null
                  ? nothing()
                  : v.complete()
                      ? new Bound(Op.LT, v.full())
                      : new Bound(Op.LT, lowest(v.major(), v.minor() == null ? 0 : v.minor(), 0)));
      case "<=" -> {
        if (v.major() != null) {
          bounds.add(v.complete() ? new Bound(Op.LE, v.full()) : new Bound(Op.LT, v.ceiling()));
        }
      }
      default -> throw new IllegalStateException(op);
    }
  }

  private static void exactOrX(Partial v, List<Bound> bounds) {
    if (v.major() == null) {
      return; // "*" admits every version
    }
    if (v.complete()) {
      bounds.add(new Bound(Op.EQ, v.full()));
    } else {
      between(v.floor(), v.ceiling(), bounds);
    }
  }

  private static void tilde(Partial v, List<Bound> bounds) {
    if (v.major() == null) {
      return;
    }
    between(
        v.floor(), v.minor() == null ? v.ceiling() : lowest(v.major(), v.minor() + 1, 0), bounds);
  }

  // ^ allows changes that do not touch the leftmost non-zero part.
  private static void caret(Partial v, List<Bound> bounds) {
    if (v.major() == null) {
      return;
    }
    SemVer upper;
    if (v.major() > 0 || v.minor() == null) {
      upper = lowest(v.major() + 1, 0, 0);
    } else if (v.minor() > 0 || v.patch() == null) {
      upper = lowest(0, v.minor() + 1, 0);
    } else {
      upper = lowest(0, 0, v.patch() + 1);
    }
    between(v.floor(), upper, bounds);
  }

  private static void greater(Partial v, List<Bound> bounds) {
    if (v.major() == null) {
      bounds.add(nothing());
    } else if (v.complete()) {
      bounds.add(new Bound(Op.GT, v.full()));
    } else {
      bounds.add(new Bound(Op.GE, v.ceiling()));
    }
  }

  private static void hyphen(Partial from, Partial to, List<Bound> bounds) {
    if (from.major() != null) {
      bounds.add(new Bound(Op.GE, from.floor()));
    }
    if (to.major() != null) {
      bounds.add(to.complete() ? new Bound(Op.LE, to.full()) : new Bound(Op.LT, to.ceiling()));
    }
  }

  private static void between(SemVer floor, SemVer ceiling, List<Bound> bounds) {
    bounds.add(new Bound(Op.GE, floor));
    bounds.add(new Bound(Op.LT, ceiling));
  }

  /** The lowest version of a release line, below all its pre-releases: M.m.p-0. */
  private static SemVer lowest(long major, long minor, long patch) {
    return new SemVer(major, minor, patch, List.of("0"));
  }

  private static Bound nothing() {
    return new Bound(Op.LT, SemVer.MIN);
  }
}
