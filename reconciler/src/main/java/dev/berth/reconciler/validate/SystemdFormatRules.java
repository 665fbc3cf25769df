package dev.berth.reconciler.validate;

import dev.berth.reconciler.model.ContainerSpec;
import dev.berth.reconciler.model.Resources;
import dev.berth.reconciler.parse.FieldPath;
import java.util.regex.Pattern;

/**
 * The values that go into unit files as they are written, so each must be in the syntax systemd
 * reads: user namespaces, time spans and resource limits.
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
        findings);
    check(
        spec.timeoutStartSec(),
        TIME_SPAN,
        SPEC.field("timeoutStartSec"),
        "must be seconds or a systemd time span such as 90s or 5min",
        findings);
    Resources resources = spec.resources();
    check(
        resources.memoryMax(),
        BYTES,
        RESOURCES.field("memoryMax"),
        "must be bytes with an optional K, M, G or T suffix, a percentage or infinity",
        findings);
    check(
        resources.cpuQuota(),
        PERCENT,
        RESOURCES.field("cpuQuota"),
        "must be a percentage such as 150%",
        findings);
    check(
        resources.tasksMax(),
        TASKS,
        RESOURCES.field("tasksMax"),
        "must be a number, a percentage or infinity",
        findings);
  }

  /** An unset value is systemd's default and fine. */
  private static void check(
      String value, Pattern format, FieldPath at, String reason, DocumentFindings findings) {
    if (value != null && !format.matcher(value).matches()) {
      findings.error(at, reason);
    }
  }
}
