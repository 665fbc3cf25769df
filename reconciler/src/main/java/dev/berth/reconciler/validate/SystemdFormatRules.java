package dev.berth.reconciler.validate;

import dev.berth.reconciler.model.ContainerSpec;
import dev.berth.reconciler.model.Resources;
import dev.berth.reconciler.parse.FieldPath;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * The values that go into unit files as they are written, so each must be in the syntax systemd
 * reads (user namespaces, time spans and resource limits) and in the range it accepts ({@link
 * SystemdLimits}): systemd ignores a line it cannot take, and the container runs without it.
 */
final class SystemdFormatRules {
  private static final Pattern PRIVATE_USERS =
      Pattern.compile("^(pick|yes|no|identity|managed|\\d+(:\\d+)?)$");
  private static final Pattern TIME_SPAN =
      Pattern.compile(
          "^(infinity|\\d+|(\\d+(\\.\\d+)?\\s*(us|usec|ms|msec|s|sec|seconds?|m|min|minutes?|h|hr|hours?|d|days?|w|weeks?)\\s*)+)$");
  private static final Pattern BYTES =
      Pattern.compile("^(infinity|\\d+[KMGTPE]?|\\d+(\\.\\d+)?%)$");
  private static final Pattern PERCENT = Pattern.compile("^\\d+(\\.\\d+)?%$");
  private static final Pattern TASKS = Pattern.compile("^(infinity|\\d+|\\d+(\\.\\d+)?%)$");
  private static final FieldPath SPEC = FieldPath.of("spec");
  private static final FieldPath RESOURCES = SPEC.field("resources");

  private SystemdFormatRules() {}

  static void check(ContainerSpec spec, DocumentFindings findings) {
    check(
        spec.privateUsers(),
        PRIVATE_USERS,
        SPEC.field("privateUsers"),
        "must be pick, no, identity or a base UID (optionally UID:RANGE)",
        SystemdLimits::privateUsers,
        findings);
    check(
        spec.timeoutStartSec(),
        TIME_SPAN,
        SPEC.field("timeoutStartSec"),
        "must be seconds or a systemd time span such as 90s or 5min",
        SystemdLimits::timeSpan,
        findings);
    rawSettings(spec, findings);
    Resources resources = spec.resources();
    check(
        resources.memoryMax(),
        BYTES,
        RESOURCES.field("memoryMax"),
        "must be bytes with an optional K, M, G or T suffix, a percentage or infinity",
        SystemdLimits::memory,
        findings);
    check(
        resources.cpuQuota(),
        PERCENT,
        RESOURCES.field("cpuQuota"),
        "must be a percentage such as 150%",
        SystemdLimits::cpuQuota,
        findings);
    check(
        resources.tasksMax(),
        TASKS,
        RESOURCES.field("tasksMax"),
        "must be a number, a percentage or infinity",
        SystemdLimits::tasks,
        findings);
  }

  /**
   * The raw {@code spec.nspawn} settings go into the {@code .nspawn} file as written (backslash
   * escapes included, for systemd to read), but one that ends in a backslash would continue its
   * line: systemd would read the next setting as part of it.
   */
  private static void rawSettings(ContainerSpec spec, DocumentFindings findings) {
    spec.nspawn()
        .forEach(
            (section, settings) ->
                settings.forEach(
                    (name, values) -> {
                      for (int i = 0; i < values.size(); i++) {
                        if (continuesTheLine(values.get(i))) {
                          findings.error(
                              SPEC.field("nspawn").field(section).field(name).item(i),
                              "ends with a backslash, which would join the next line to this"
                                  + " setting; write \\\\ for a backslash at the end");
                        }
                      }
                    }));
  }

  /** As systemd reads a line: stripped, it ends in a backslash that no backslash escapes. */
  private static boolean continuesTheLine(String value) {
    String line = value.strip();
    int backslashes = 0;
    for (int i = line.length() - 1; i >= 0 && line.charAt(i) == '\\'; i--) {
      backslashes++;
    }
    return backslashes % 2 == 1;
  }

  /**
   * An unset value is systemd's default and fine; a set one must match {@code format}, and then be
   * in {@code range} (which returns a reason, or null).
   */
  private static void check(
      String value,
      Pattern format,
      FieldPath at,
      String reason,
      UnaryOperator<String> range,
      DocumentFindings findings) {
    if (value == null) {
      return;
    }
    if (!format.matcher(value).matches()) {
      findings.error(at, reason);
      return;
    }
    findings.errorIfAny(at, range.apply(value));
  }
}
