package dev.berth.agent.fleet;

import static dev.berth.agent.fleet.MidRollout.CONVERGED;
import static dev.berth.agent.fleet.MidRollout.R1;
import static dev.berth.agent.fleet.MidRollout.R2;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.reconciler.rollout.FleetObserver.FleetUnavailable;
import dev.berth.reconciler.rollout.FleetState;
import dev.berth.reconciler.rollout.FleetState.HostState;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fleet's state read back from a real Prometheus that scrapes three agents' real metrics on
 * loopback: every host with its fields, a host whose agent went down still known but not reporting,
 * and a Prometheus that is gone is unavailable.
 */
class PrometheusFleetIT {
  @TempDir Path dir;
  private final List<AutoCloseable> open = new java.util.ArrayList<>();

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable closeable : open) {
      closeable.close();
    }
  }

  @Test
  void readsEveryHostThenKeepsOneThatStoppedReportingAndFailsWithoutPrometheus() throws Exception {
    MidRollout.Scraped scraped = MidRollout.scraped(dir, open);
    List<ScrapedAgent> agents = scraped.agents();
    RealPrometheus prometheus = scraped.prometheus();

    PrometheusFleet fleet = new PrometheusFleet(prometheus.url(), Duration.ofSeconds(5));
    FleetState state = fleet.observe(R2);

    assertThat(state.hosts())
        .containsExactly(
            new HostState(
                "h1",
                Map.of("topology.kubernetes.io/zone", "eu-1a", "tier", "canary"),
                Optional.of(R2),
                Optional.of(CONVERGED),
                0,
                0,
                true),
            new HostState(
                "h2", Map.of("tier", "canary"), Optional.of(R2), Optional.empty(), 1, 1, true),
            new HostState("h3", Map.of(), Optional.of(R1), Optional.of(CONVERGED), 0, 0, true));
    List<ReportedHost> hosts = fleet.hosts();
    assertThat(hosts)
        .extracting(ReportedHost::wave)
        .extracting(Optional::get)
        .containsExactly("canary", "canary", "rest");
    assertThat(hosts).extracting(ReportedHost::drifted).containsExactly(1, 0, 0);
    assertThat(hosts)
        .extracting(ReportedHost::held)
        .containsExactly(
            Optional.empty(), Optional.of("GateFailed"), Optional.of("WaitingForWave"));

    agents.get(1).stop();
    prometheus.awaitCount("berth_host_info", 2);

    HostState h2 = fleet.observe(R2).hosts().get(1);
    assertThat(h2)
        .isEqualTo(
            new HostState(
                "h2", Map.of("tier", "canary"), Optional.of(R2), Optional.empty(), 1, 1, false));
    assertThat(h2.brokeOn(R2)).isTrue();

    prometheus.close();
    assertThatThrownBy(() -> fleet.observe(R2))
        .isInstanceOf(FleetUnavailable.class)
        .hasMessage(
            "Prometheus at "
                + prometheus.url()
                + " cannot be reached (connection refused or no route)");
  }
}
