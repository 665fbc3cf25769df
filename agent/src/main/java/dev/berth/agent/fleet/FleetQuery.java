package dev.berth.agent.fleet;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The one PromQL expression that reads the fleet's state (docs/metrics.md, "Rollout"): every series
 * berth's agents export about their rollout, each marked with a {@code berth_series} label that
 * says what it is, and for a target that no longer reports, its last samples of the lookback.
 */
final class FleetQuery {
  /** The label that the query adds to each series: its {@link Kind}. */
  static final String KIND_LABEL = "berth_series";

  /** How long a host that stopped reporting stays known. */
  static final String LOOKBACK = "1h";

  /** What a series of the answer is, by the value of {@link #KIND_LABEL}. */
  enum Kind {
    HOST("host", "berth_host_info"),
    /** berth_host_info of a target that does not report now, from the lookback. */
    HOST_LAST("host_last", null),
    LABEL("label", "berth_host_label"),
    REVISION("revision", "berth_applied_revision_info"),
    CONTAINERS("containers", "berth_applied_revision_containers"),
    CONVERGED("converged", "berth_applied_revision_converged_timestamp_seconds"),
    DRIFTED("drifted", "sum by (job, instance) (berth_container_drifted)"),
    HELD("held", "berth_rollout_held == 1");

    final String label;
    final String expression;

    Kind(String label, String expression) {
      this.label = label;
      this.expression = expression;
    }

    static Optional<Kind> of(String label) {
      return List.of(values()).stream().filter(kind -> kind.label.equals(label)).findFirst();
    }
  }

  /**
   * Series now, then the lookback's last samples of the series the rollout needs for targets
   * without berth_host_info now: {@code unless} keeps the two parts apart, so that a reporting host
   * is read from its current series only.
   */
  static final String PROMQL =
      List.of(
              marked(Kind.HOST.expression, Kind.HOST),
              marked(Kind.LABEL.expression, Kind.LABEL),
              marked(Kind.REVISION.expression, Kind.REVISION),
              marked(Kind.CONTAINERS.expression, Kind.CONTAINERS),
              marked(Kind.CONVERGED.expression, Kind.CONVERGED),
              marked(Kind.DRIFTED.expression, Kind.DRIFTED),
              marked(Kind.HELD.expression, Kind.HELD),
              marked(lookback("berth_host_info"), Kind.HOST_LAST),
              marked(lookback("berth_host_label"), Kind.LABEL),
              marked(lookback("berth_applied_revision_info"), Kind.REVISION),
              marked(lookback("berth_applied_revision_containers"), Kind.CONTAINERS))
          .stream()
          .collect(Collectors.joining("\nor "));

  private FleetQuery() {}

  private static String lookback(String metric) {
    return "last_over_time(%s[%s]) unless on (job, instance) berth_host_info"
        .formatted(metric, LOOKBACK);
  }

  private static String marked(String expression, Kind kind) {
    return "label_replace(%s, \"%s\", \"%s\", \"\", \"\")"
        .formatted(expression, KIND_LABEL, kind.label);
  }
}
