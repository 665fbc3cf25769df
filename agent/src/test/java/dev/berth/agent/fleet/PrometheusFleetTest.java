package dev.berth.agent.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.agent.fleet.CannedHttp.Answer;
import dev.berth.reconciler.rollout.FleetObserver.FleetUnavailable;
import dev.berth.reconciler.rollout.FleetState;
import dev.berth.reconciler.rollout.FleetState.HostState;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Answers in the shape of Prometheus's query API, as the fleet's query makes them. */
class PrometheusFleetTest {
  private static final Instant NOW = Instant.parse("2024-05-01T12:00:00Z");
  private static final String R1 = "0123456789abcdef0123456789abcdef01234567";
  private static final String R2 = "fedcba9876543210fedcba9876543210fedcba98";

  private CannedHttp http;

  private PrometheusFleet fleet(String... series) {
    http =
        CannedHttp.answering(
            Answer.json(
                200,
                "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":["
                    + String.join(",\n", series)
                    + "]}}"));
    return new PrometheusFleet(
        URI.create("http://127.0.0.1:9090"),
        Duration.ofSeconds(1),
        http,
        Clock.fixed(NOW, ZoneOffset.UTC));
  }

  /** One series of the answer: the kind the query marks it with, its target and labels. */
  private static String series(String kind, String instance, String labels, String value) {
    return "{\"metric\":{\"berth_series\":\"%s\",\"job\":\"berth\",\"instance\":\"%s\"%s},\"value\":[1714564800.5,\"%s\"]}"
        .formatted(kind, instance, labels.isEmpty() ? "" : "," + labels, value);
  }

  private static String[] reportingHost(
      String instance, String host, String wave, String revision) {
    return new String[] {
      series(
          "host",
          instance,
          "\"__name__\":\"berth_host_info\",\"host\":\"%s\",\"wave\":\"%s\"".formatted(host, wave),
          "1"),
      series("label", instance, "\"key\":\"topology.kubernetes.io/zone\",\"value\":\"eu-1a\"", "1"),
      series("label", instance, "\"key\":\"role\",\"value\":\"web\"", "1"),
      series("revision", instance, "\"revision\":\"%s\"".formatted(revision), "1"),
      series("containers", instance, "\"state\":\"ready\"", "3"),
      series("containers", instance, "\"state\":\"failed\"", "1"),
      series("containers", instance, "\"state\":\"rolled_back\"", "2"),
      series("containers", instance, "\"state\":\"pending\"", "0"),
    };
  }

  private static String[] with(String[] series, String... more) {
    List<String> all = new java.util.ArrayList<>(List.of(series));
    all.addAll(List.of(more));
    return all.toArray(String[]::new);
  }

  private String unavailable(String... series) {
    try {
      fleet(series).observe(R1);
    } catch (FleetUnavailable e) {
      return e.getMessage();
    }
    throw new AssertionError("the fleet was read");
  }

  @Test
  void sendsTheFleetsOneQuery() {
    fleet().observe(R1);
    assertThat(http.requests).hasSize(1);
    assertThat(
            java.net.URLDecoder.decode(http.bodies.get(0), java.nio.charset.StandardCharsets.UTF_8))
        .isEqualTo("query=" + FleetQuery.PROMQL);
  }

  @Test
  void aReportingHostHasItsLabelsRevisionCountsAndConvergedTime() {
    FleetState state =
        fleet(
                with(
                    reportingHost("10.0.0.1:9480", "h1", "canary", R1),
                    series("converged", "10.0.0.1:9480", "", "1714564000.25")))
            .observe(R1);

    assertThat(state.observedAt()).isEqualTo(NOW);
    assertThat(state.hosts())
        .containsExactly(
            new HostState(
                "h1",
                Map.of("topology.kubernetes.io/zone", "eu-1a", "role", "web"),
                Optional.of(R1),
                Optional.of(Instant.parse("2024-05-01T11:46:40.250Z")),
                1,
                2,
                true));
  }

  @Test
  void theTableSeesWaveReadyPendingDriftedAndTheHeldReason() {
    List<ReportedHost> hosts =
        fleet(
                with(
                    reportingHost("10.0.0.1:9480", "h1", "canary", R1),
                    series("drifted", "10.0.0.1:9480", "", "2"),
                    series("held", "10.0.0.1:9480", "\"reason\":\"Soaking\"", "1")))
            .hosts();

    assertThat(hosts).hasSize(1);
    ReportedHost h1 = hosts.get(0);
    assertThat(h1.target()).isEqualTo("berth/10.0.0.1:9480");
    assertThat(h1.wave()).contains("canary");
    assertThat(h1.ready()).isEqualTo(3);
    assertThat(h1.pending()).isZero();
    assertThat(h1.drifted()).isEqualTo(2);
    assertThat(h1.held()).contains("Soaking");
    assertThat(h1.state().convergedSince()).isEmpty();
  }

  @Test
  void aHostOnlyTheLookbackKnowsIsNotReportingAndNotConverged() {
    FleetState state =
        fleet(
                with(
                    reportingHost("10.0.0.1:9480", "h1", "canary", R2),
                    series(
                        "host_last", "10.0.0.2:9480", "\"host\":\"h2\",\"wave\":\"canary\"", "1"),
                    series("label", "10.0.0.2:9480", "\"key\":\"role\",\"value\":\"db\"", "1"),
                    series("revision", "10.0.0.2:9480", "\"revision\":\"%s\"".formatted(R2), "1"),
                    series("containers", "10.0.0.2:9480", "\"state\":\"failed\"", "1")))
            .observe(R2);

    assertThat(state.hosts()).extracting(HostState::host).containsExactly("h1", "h2");
    HostState h2 = state.hosts().get(1);
    assertThat(h2.reporting()).isFalse();
    assertThat(h2.labels()).isEqualTo(Map.of("role", "db"));
    assertThat(h2.appliedRevision()).contains(R2);
    assertThat(h2.convergedSince()).isEmpty();
    assertThat(h2.brokeOn(R2)).isTrue();
  }

  @Test
  void aHostThatChangedRevisionOrWaveBeforeItStoppedReportingHasThemUnknown() {
    List<ReportedHost> hosts =
        fleet(
                series("host_last", "10.0.0.2:9480", "\"host\":\"h2\",\"wave\":\"canary\"", "1"),
                series("host_last", "10.0.0.2:9480", "\"host\":\"h2\",\"wave\":\"rest\"", "1"),
                series("revision", "10.0.0.2:9480", "\"revision\":\"%s\"".formatted(R1), "1"),
                series("revision", "10.0.0.2:9480", "\"revision\":\"%s\"".formatted(R2), "1"))
            .hosts();

    assertThat(hosts).hasSize(1);
    assertThat(hosts.get(0).wave()).isEmpty();
    assertThat(hosts.get(0).state().appliedRevision()).isEmpty();
    assertThat(hosts.get(0).state().reporting()).isFalse();
  }

  @Test
  void aHostThatMovedToAnotherTargetIsTheOneThatReports() {
    FleetState state =
        fleet(
                with(
                    reportingHost("10.0.0.9:9480", "h1", "canary", R2),
                    series(
                        "host_last", "10.0.0.1:9480", "\"host\":\"h1\",\"wave\":\"canary\"", "1"),
                    series("revision", "10.0.0.1:9480", "\"revision\":\"%s\"".formatted(R1), "1")))
            .observe(R2);

    assertThat(state.hosts()).hasSize(1);
    assertThat(state.hosts().get(0).reporting()).isTrue();
    assertThat(state.hosts().get(0).appliedRevision()).contains(R2);
  }

  @Test
  void aTargetWithoutHostInfoIsNoHostOfTheFleet() {
    assertThat(
            fleet(series("revision", "10.0.0.3:9480", "\"revision\":\"%s\"".formatted(R1), "1"))
                .observe(R1)
                .hosts())
        .isEmpty();
  }

  @Test
  void conflictingSeriesAreUnavailable() {
    String prefix = "Prometheus at http://127.0.0.1:9090 answered conflicting series: ";
    assertThat(
            unavailable(
                with(
                    reportingHost("10.0.0.1:9480", "h1", "canary", R1),
                    series("revision", "10.0.0.1:9480", "\"revision\":\"%s\"".formatted(R2), "1"))))
        .isEqualTo(
            prefix + "berth/10.0.0.1:9480 reports applied revisions [%s, %s]".formatted(R1, R2));
    assertThat(
            unavailable(
                with(
                    reportingHost("10.0.0.1:9480", "h1", "canary", R1),
                    series("host", "10.0.0.1:9480", "\"host\":\"h9\",\"wave\":\"canary\"", "1"))))
        .isEqualTo(prefix + "berth/10.0.0.1:9480 reports host names [h1, h9]");
    assertThat(
            unavailable(
                with(
                    reportingHost("10.0.0.1:9480", "h1", "canary", R1),
                    series("label", "10.0.0.1:9480", "\"key\":\"role\",\"value\":\"db\"", "1"))))
        .isEqualTo(prefix + "berth/10.0.0.1:9480 reports values web and db of host label role");
    assertThat(
            unavailable(
                with(
                    reportingHost("10.0.0.1:9480", "h1", "canary", R1),
                    series("held", "10.0.0.1:9480", "\"reason\":\"Soaking\"", "1"),
                    series("held", "10.0.0.1:9480", "\"reason\":\"Halted\"", "1"))))
        .isEqualTo(prefix + "berth/10.0.0.1:9480 reports held reasons [Halted, Soaking]");
    assertThat(
            unavailable(
                with(
                    reportingHost("10.0.0.1:9480", "h1", "canary", R1),
                    reportingHost("10.0.0.2:9480", "h1", "canary", R1))))
        .isEqualTo(
            prefix
                + "berth/10.0.0.1:9480 and berth/10.0.0.2:9480 both report host h1 (one agent"
                + " scraped twice, or two agents with one host.name)");
  }

  @Test
  void anEmptyWaveOrLabelValueWhichPrometheusDropsIsReadAsEmpty() {
    String[] h1 = reportingHost("10.0.0.1:9480", "h1", "canary", R1);
    h1[0] =
        series("host", "10.0.0.1:9480", "\"__name__\":\"berth_host_info\",\"host\":\"h1\"", "1");
    h1[2] = series("label", "10.0.0.1:9480", "\"key\":\"role\"", "1");

    List<ReportedHost> hosts = fleet(h1).hosts();

    assertThat(hosts)
        .singleElement()
        .satisfies(
            host -> {
              assertThat(host.wave()).contains("");
              assertThat(host.state().labels()).containsEntry("role", "");
            });
  }

  @Test
  void malformedSeriesAreUnavailable() {
    String prefix = "Prometheus at http://127.0.0.1:9090 answered malformed series: ";
    String[] h1 = reportingHost("10.0.0.1:9480", "h1", "canary", R1);
    assertThat(unavailable(with(h1, series("converged", "10.0.0.1:9480", "", "NaN"))))
        .isEqualTo(prefix + "converged timestamp NaN of berth/10.0.0.1:9480");
    assertThat(
            unavailable(
                with(h1, series("containers", "10.0.0.1:9480", "\"state\":\"ready\"", "1.5"))))
        .isEqualTo(prefix + "container count 1.5 of berth/10.0.0.1:9480");
    assertThat(unavailable(with(h1, series("label", "10.0.0.1:9480", "\"value\":\"web\"", "1"))))
        .isEqualTo(prefix + "a series of berth/10.0.0.1:9480 without the label key");
    assertThat(
            unavailable(
                "{\"metric\":{\"__name__\":\"up\",\"job\":\"berth\",\"instance\":\"x\"},\"value\":[1,\"1\"]}"))
        .isEqualTo(prefix + "a series the fleet's query does not make");
  }
}
