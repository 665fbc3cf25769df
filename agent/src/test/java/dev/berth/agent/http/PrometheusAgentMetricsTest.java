package dev.berth.agent.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import dev.berth.agent.daemon.PassResult;
import dev.berth.agent.status.ContainerStatus;
import dev.berth.reconciler.load.ManifestCache;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PrometheusAgentMetricsTest {
  private static final Instant NOW = Instant.parse("2024-05-01T12:00:00Z");

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final PrometheusAgentMetrics metrics =
      new PrometheusAgentMetrics(registry, "1.2.3", Clock.fixed(NOW, ZoneOffset.UTC));

  @AfterEach
  void close() {
    metrics.close();
    registry.close();
  }

  @Test
  void exposesExactlyTheDesignedNames() {
    metrics.passFinished(Duration.ofMillis(120), PassResult.SUCCESS);
    metrics.action("create", "converged");
    metrics.containers(List.of(container("web", "Running", "r1", false)), "r1");
    metrics.fetch("success");
    metrics.sourceRevision("r1");
    metrics.rolledBack("web");
    metrics.host("h1", Map.of("zone", "a"));
    metrics.appliedRevision("r1", Optional.of(NOW), Map.of("ready", 1));
    metrics.rolloutHeld(Optional.of("Soaking"));
    metrics.gateQuery("ok", Duration.ofMillis(30));

    assertThat(scrape().types("berth_"))
        .containsExactlyInAnyOrderEntriesOf(
            Map.ofEntries(
                entry("berth_reconcile_duration_seconds", "histogram"),
                entry("berth_reconcile_duration_seconds_max", "gauge"),
                entry("berth_reconcile_total", "counter"),
                entry("berth_actions_total", "counter"),
                entry("berth_rollbacks_total", "counter"),
                entry("berth_container_info", "gauge"),
                entry("berth_container_drifted", "gauge"),
                entry("berth_source_fetch_total", "counter"),
                entry("berth_source_last_fetch_success_timestamp_seconds", "gauge"),
                entry("berth_last_successful_reconcile_timestamp_seconds", "gauge"),
                entry("berth_source_revision_info", "gauge"),
                entry("berth_suspended", "gauge"),
                entry("berth_build_info", "gauge"),
                entry("berth_host_info", "gauge"),
                entry("berth_host_label", "gauge"),
                entry("berth_applied_revision_info", "gauge"),
                entry("berth_applied_revision_containers", "gauge"),
                entry("berth_applied_revision_converged_timestamp_seconds", "gauge"),
                entry("berth_rollout_held", "gauge"),
                entry("berth_rollout_gate_queries_total", "counter"),
                entry("berth_rollout_gate_query_duration_seconds", "histogram"),
                entry("berth_rollout_gate_query_duration_seconds_max", "gauge"),
                entry("berth_manifest_cache_entries", "gauge"),
                entry("berth_manifest_cache_source_bytes", "gauge"),
                entry("berth_manifest_cache_hits_total", "counter"),
                entry("berth_manifest_cache_misses_total", "counter")));
  }

  @Test
  void aNotificationReceiverHasItsFourCountsFromZeroAndItsQueueLength() {
    metrics.receiver("ops", () -> 3);
    metrics.counted("ops", dev.berth.agent.notify.NotificationMetrics.Result.SENT);
    metrics.counted("ops", dev.berth.agent.notify.NotificationMetrics.Result.DROPPED);
    metrics.counted("ops", dev.berth.agent.notify.NotificationMetrics.Result.DROPPED);

    Exposition exposition = scrape();
    assertThat(exposition.series("berth_notifications_total"))
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "berth_notifications_total{receiver=\"ops\",result=\"sent\"}", 1.0,
                "berth_notifications_total{receiver=\"ops\",result=\"retried\"}", 0.0,
                "berth_notifications_total{receiver=\"ops\",result=\"failed\"}", 0.0,
                "berth_notifications_total{receiver=\"ops\",result=\"dropped\"}", 2.0));
    assertThat(exposition.series("berth_notification_queue_length"))
        .containsExactlyEntriesOf(Map.of("berth_notification_queue_length{receiver=\"ops\"}", 3.0));
  }

  @Test
  void theManifestCacheShowsItsLastSizeAndTotals() {
    assertThat(scrape().samples()).contains(entry("berth_manifest_cache_entries", 0.0));
    metrics.manifestCache(new ManifestCache.Stats(200, 4_000_000, 0, 200));
    metrics.manifestCache(new ManifestCache.Stats(201, 4_020_000, 199, 201));
    assertThat(scrape().samples())
        .contains(
            entry("berth_manifest_cache_entries", 201.0),
            entry("berth_manifest_cache_source_bytes", 4_020_000.0),
            entry("berth_manifest_cache_hits_total", 199.0),
            entry("berth_manifest_cache_misses_total", 201.0));
  }

  @Test
  void theHostHasOneInfoSeriesWithItsWaveAndOneSeriesPerLabel() {
    assertThat(scrape().series("berth_host_info")).isEmpty();
    metrics.wave("canary");
    metrics.host("h1", Map.of("topology.kubernetes.io/zone", "eu-1a", "role", "web \"x\""));
    Exposition first = scrape();
    assertThat(first.series("berth_host_info"))
        .containsExactlyEntriesOf(Map.of("berth_host_info{host=\"h1\",wave=\"canary\"}", 1.0));
    assertThat(first.series("berth_host_label"))
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "berth_host_label{key=\"topology.kubernetes.io/zone\",value=\"eu-1a\"}", 1.0,
                "berth_host_label{key=\"role\",value=\"web \\\"x\\\"\"}", 1.0));

    metrics.wave("");
    metrics.host("h1", Map.of("role", "db"));
    Exposition second = scrape();
    assertThat(second.series("berth_host_info"))
        .containsExactlyEntriesOf(Map.of("berth_host_info{host=\"h1\",wave=\"\"}", 1.0));
    assertThat(second.series("berth_host_label"))
        .containsExactlyEntriesOf(Map.of("berth_host_label{key=\"role\",value=\"db\"}", 1.0));
  }

  @Test
  void theAppliedRevisionHasOneSeriesFourCountsAndATimestampOnlyOnceConverged() {
    assertThat(scrape().series("berth_applied_revision_containers"))
        .containsOnlyKeys(
            "berth_applied_revision_containers{state=\"ready\"}",
            "berth_applied_revision_containers{state=\"failed\"}",
            "berth_applied_revision_containers{state=\"rolled_back\"}",
            "berth_applied_revision_containers{state=\"pending\"}")
        .allSatisfy((series, value) -> assertThat(value).isZero());

    metrics.appliedRevision("r1", Optional.of(NOW), Map.of("ready", 3));
    metrics.appliedRevision("r2", Optional.empty(), Map.of("ready", 1, "failed", 1, "pending", 2));

    Exposition exposition = scrape();
    assertThat(exposition.series("berth_applied_revision_info"))
        .containsExactlyEntriesOf(Map.of("berth_applied_revision_info{revision=\"r2\"}", 1.0));
    assertThat(exposition.series("berth_applied_revision_containers"))
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "berth_applied_revision_containers{state=\"ready\"}", 1.0,
                "berth_applied_revision_containers{state=\"failed\"}", 1.0,
                "berth_applied_revision_containers{state=\"rolled_back\"}", 0.0,
                "berth_applied_revision_containers{state=\"pending\"}", 2.0));
    assertThat(exposition.series("berth_applied_revision_converged_timestamp_seconds")).isEmpty();

    metrics.appliedRevision("r2", Optional.of(NOW.plusMillis(1500)), Map.of("ready", 2));
    assertThat(scrape().series("berth_applied_revision_converged_timestamp_seconds"))
        .containsExactlyEntriesOf(
            Map.of(
                "berth_applied_revision_converged_timestamp_seconds", NOW.getEpochSecond() + 1.5));
  }

  @Test
  void aContainerStateOutsideTheFourIsRefused() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> metrics.appliedRevision("r1", Optional.empty(), Map.of("rolledBack", 1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("rolledBack");
  }

  @Test
  void theHeldReasonIsOneAndEveryOtherReasonZero() {
    assertThat(scrape().series("berth_rollout_held"))
        .hasSize(7)
        .allSatisfy((series, value) -> assertThat(value).isZero());

    metrics.rolloutHeld(Optional.of("GateFailed"));
    Map<String, Double> held = scrape().series("berth_rollout_held");
    assertThat(held).hasSize(7).containsEntry("berth_rollout_held{reason=\"GateFailed\"}", 1.0);
    assertThat(held.values()).containsOnlyOnce(1.0);

    metrics.rolloutHeld(Optional.empty());
    assertThat(scrape().series("berth_rollout_held"))
        .allSatisfy((series, value) -> assertThat(value).isZero());
  }

  @Test
  void gateQueriesAreCountedByResultAndTimed() {
    assertThat(scrape().series("berth_rollout_gate_queries_total"))
        .containsOnlyKeys(
            "berth_rollout_gate_queries_total{result=\"ok\"}",
            "berth_rollout_gate_queries_total{result=\"unavailable\"}");
    metrics.gateQuery("ok", Duration.ofMillis(20));
    metrics.gateQuery("unavailable", Duration.ofSeconds(3));
    metrics.gateQuery("ok", Duration.ofMillis(40));
    assertThat(scrape().samples())
        .contains(
            entry("berth_rollout_gate_queries_total{result=\"ok\"}", 2.0),
            entry("berth_rollout_gate_queries_total{result=\"unavailable\"}", 1.0),
            entry("berth_rollout_gate_query_duration_seconds_count", 3.0),
            entry("berth_rollout_gate_query_duration_seconds_bucket{le=\"0.05\"}", 2.0),
            entry("berth_rollout_gate_query_duration_seconds_bucket{le=\"5.0\"}", 3.0));
  }

  @Test
  void rollbacksAreCountedPerContainerAndGoWithTheContainer() {
    metrics.containers(
        List.of(container("web", "Running", "r1", false), container("db", "Running", "r1", false)),
        "r1");
    metrics.rolledBack("web");
    metrics.rolledBack("web");
    metrics.rolledBack("db");
    assertThat(scrape().series("berth_rollbacks_total"))
        .containsOnly(
            entry("berth_rollbacks_total{container=\"web\"}", 2.0),
            entry("berth_rollbacks_total{container=\"db\"}", 1.0));

    metrics.containers(List.of(container("web", "RolledBack", "r1", false)), "r1");

    assertThat(scrape().series("berth_rollbacks_total"))
        .containsOnly(entry("berth_rollbacks_total{container=\"web\"}", 2.0));
  }

  @Test
  void startsWithZeroesSoThatRatesWorkFromTheFirstScrape() {
    Exposition exposition = scrape();
    assertThat(exposition.series("berth_reconcile_total"))
        .containsOnlyKeys(
            "berth_reconcile_total{result=\"success\"}",
            "berth_reconcile_total{result=\"failed\"}",
            "berth_reconcile_total{result=\"refused\"}",
            "berth_reconcile_total{result=\"invalid\"}",
            "berth_reconcile_total{result=\"suspended\"}",
            "berth_reconcile_total{result=\"held\"}")
        .allSatisfy((series, value) -> assertThat(value).isZero());
    assertThat(exposition.series("berth_source_fetch_total"))
        .containsOnlyKeys(
            "berth_source_fetch_total{remote=\"primary\",result=\"success\"}",
            "berth_source_fetch_total{remote=\"primary\",result=\"unchanged\"}");
    assertThat(exposition.samples())
        .contains(
            entry("berth_build_info{version=\"1.2.3\"}", 1.0),
            entry("berth_suspended", 0.0),
            entry("berth_source_last_fetch_success_timestamp_seconds", 0.0),
            entry("berth_last_successful_reconcile_timestamp_seconds", 0.0),
            entry("berth_reconcile_duration_seconds_count", 0.0));
    assertThat(exposition.series("berth_container_info")).isEmpty();
    assertThat(exposition.series("berth_source_revision_info")).isEmpty();
  }

  @Test
  void countsPassesAndTimesThemInHistogramBuckets() {
    metrics.passFinished(Duration.ofMillis(120), PassResult.SUCCESS);
    metrics.passFinished(Duration.ofSeconds(40), PassResult.FAILED);

    Exposition exposition = scrape();
    assertThat(exposition.samples())
        .contains(
            entry("berth_reconcile_total{result=\"success\"}", 1.0),
            entry("berth_reconcile_total{result=\"failed\"}", 1.0),
            entry("berth_reconcile_duration_seconds_count", 2.0),
            entry("berth_reconcile_duration_seconds_sum", 40.12),
            entry("berth_reconcile_duration_seconds_bucket{le=\"0.25\"}", 1.0),
            entry("berth_reconcile_duration_seconds_bucket{le=\"30.0\"}", 1.0),
            entry("berth_reconcile_duration_seconds_bucket{le=\"60.0\"}", 2.0),
            entry("berth_reconcile_duration_seconds_bucket{le=\"+Inf\"}", 2.0),
            entry(
                "berth_last_successful_reconcile_timestamp_seconds",
                (double) NOW.getEpochSecond()));
  }

  @Test
  void onlyASuccessfulPassMovesItsTimestamp() {
    metrics.passFinished(Duration.ofSeconds(1), PassResult.REFUSED);
    metrics.passFinished(Duration.ofSeconds(1), PassResult.INVALID);
    assertThat(scrape().samples())
        .contains(entry("berth_last_successful_reconcile_timestamp_seconds", 0.0));
  }

  @Test
  void anUnchangedPollReachedTheSourceButAFailureDidNot() {
    metrics.fetch("unreachable");
    assertThat(scrape().samples())
        .contains(
            entry("berth_source_fetch_total{remote=\"primary\",result=\"unreachable\"}", 1.0),
            entry("berth_source_last_fetch_success_timestamp_seconds", 0.0));

    metrics.fetch("unchanged");
    assertThat(scrape().samples())
        .contains(
            entry("berth_source_fetch_total{remote=\"primary\",result=\"unchanged\"}", 1.0),
            entry(
                "berth_source_last_fetch_success_timestamp_seconds",
                (double) NOW.getEpochSecond()));
  }

  @Test
  void countsActionsByClassAndResult() {
    metrics.action("create", "converged");
    metrics.action("create", "converged");
    metrics.action("restart", "failed");
    assertThat(scrape().series("berth_actions_total"))
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "berth_actions_total{action=\"create\",result=\"converged\"}", 2.0,
                "berth_actions_total{action=\"restart\",result=\"failed\"}", 1.0));
  }

  @Test
  void containerSeriesFollowTheContainers() {
    metrics.containers(
        List.of(container("web", "Running", "r1", false), container("db", "Pending", null, true)),
        "r1");
    Exposition first = scrape();
    assertThat(first.series("berth_container_info"))
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "berth_container_info{container=\"web\",phase=\"Running\",revision=\"r1\"}", 1.0,
                "berth_container_info{container=\"db\",phase=\"Pending\",revision=\"r1\"}", 1.0));
    assertThat(first.series("berth_container_drifted"))
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "berth_container_drifted{container=\"web\"}", 0.0,
                "berth_container_drifted{container=\"db\"}", 1.0));

    // web moves on to r2 and drifts; db is gone; cache is removed (its series go too).
    metrics.containers(
        List.of(container("web", "Failed", "r2", true), container("cache", "Removed", "r1", false)),
        "r2");
    System.gc();
    Exposition second = scrape();
    assertThat(second.series("berth_container_info"))
        .containsExactlyEntriesOf(
            Map.of(
                "berth_container_info{container=\"web\",phase=\"Failed\",revision=\"r2\"}", 1.0));
    assertThat(second.series("berth_container_drifted"))
        .containsExactlyEntriesOf(Map.of("berth_container_drifted{container=\"web\"}", 1.0));

    metrics.containers(List.of(), "r2");
    assertThat(scrape().series("berth_container_info")).isEmpty();
    assertThat(scrape().series("berth_container_drifted")).isEmpty();
  }

  @Test
  void theSourceRevisionHasOneSeries() {
    metrics.sourceRevision("aaa");
    metrics.sourceRevision("bbb");
    assertThat(scrape().series("berth_source_revision_info"))
        .containsExactlyEntriesOf(Map.of("berth_source_revision_info{revision=\"bbb\"}", 1.0));
    metrics.sourceRevision(null);
    assertThat(scrape().series("berth_source_revision_info")).isEmpty();
  }

  @Test
  void suspendedIsZeroOrOne() {
    metrics.suspended(true);
    assertThat(scrape().samples()).contains(entry("berth_suspended", 1.0));
    metrics.suspended(false);
    assertThat(scrape().samples()).contains(entry("berth_suspended", 0.0));
  }

  @Test
  void exposesJvmAndProcessMetricsUnderPromtoolCleanNames() {
    Map<String, String> types = scrape().types();
    assertThat(types)
        .containsKeys(
            "jvm_memory_used_bytes",
            "jvm_gc_memory_allocated_bytes_total",
            "jvm_threads_live_threads",
            "system_cpu_processors",
            "process_cpu_seconds_total",
            "process_uptime_seconds")
        .doesNotContainKeys("process_cpu_time_ns_total", "system_cpu_count");
    assertThat(scrape().samples().get("process_cpu_seconds_total")).isPositive();
  }

  private Exposition scrape() {
    return Exposition.parse(registry.scrape());
  }

  static ContainerStatus container(String name, String phase, String applied, boolean drifted) {
    return new ContainerStatus(name, phase, List.of(), applied, applied, null, drifted, false);
  }
}
