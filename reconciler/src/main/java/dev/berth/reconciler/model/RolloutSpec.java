package dev.berth.reconciler.model;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What a {@link Rollout} says: ordered waves, the Prometheus gate that reads the fleet's state, a
 * per-host jitter, maintenance windows, and the operator's overrides ({@code halt}, {@code
 * promote}).
 */
public record RolloutSpec(
    List<Wave> waves,
    Optional<PrometheusGate> gate,
    Duration applyJitter,
    List<MaintenanceWindow> windows,
    boolean halt,
    List<Promotion> promote) {
  public RolloutSpec {
    waves = List.copyOf(waves);
    windows = List.copyOf(windows);
    promote = List.copyOf(promote);
    applyJitter = applyJitter == null ? Duration.ZERO : applyJitter;
  }

  /**
   * One wave: the hosts its selector matches (no selector: every host no earlier wave took), and
   * the wave it follows with the soak time after it (none: it goes first).
   */
  public record Wave(String name, Optional<LabelSelector> selector, Optional<After> after) {}

  /** A wave starts once every host of {@code wave} has run the revision for {@code soak}. */
  public record After(String wave, Duration soak) {}

  /** Where the fleet's state is read: a Prometheus server's HTTP API, with a timeout per query. */
  public record PrometheusGate(URI url, Duration timeout) {}

  /**
   * A maintenance window: it opens at each time of the Quartz cron expression {@code cron} and
   * stays open for {@code duration}. The plan classes in {@code actions} (labels of the plan
   * classes: {@code restart}, {@code rebuild}, {@code remove}, ...) run only while a window is
   * open.
   */
  public record MaintenanceWindow(
      String cron, java.time.ZoneId timeZone, Duration duration, Set<String> actions) {
    /** The actions held outside a window when the manifest names none. */
    public static final Set<String> DISRUPTIVE = Set.of("restart", "rebuild", "remove", "stop");

    public MaintenanceWindow {
      timeZone = timeZone == null ? java.time.ZoneOffset.UTC : timeZone;
      actions = actions == null || actions.isEmpty() ? DISRUPTIVE : Set.copyOf(actions);
    }
  }

  /**
   * The operator lets {@code wave} go past its gate until {@code until} (a commit, then it ends).
   */
  public record Promotion(String wave, Instant until) {}
}
