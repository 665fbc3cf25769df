package dev.berth.agent.fleet;

import dev.berth.reconciler.rollout.FleetObserver;
import dev.berth.reconciler.rollout.FleetState;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The fleet's state as the agents export it and Prometheus scrapes it (docs/metrics.md, "Rollout"):
 * one query round trip per read, {@link FleetQuery#PROMQL}.
 */
public final class PrometheusFleet implements FleetObserver {
  private final PrometheusApi api;
  private final Clock clock;

  /**
   * Reads from the Prometheus server at {@code url}, waiting at most {@code timeout} per read.
   *
   * @throws IllegalArgumentException for a URL that is not an http or https one
   */
  public PrometheusFleet(URI url, Duration timeout) {
    this(url, timeout, HttpClient.newBuilder().connectTimeout(timeout).build(), Clock.systemUTC());
  }

  public PrometheusFleet(URI url, Duration timeout, HttpClient http, Clock clock) {
    this.api = new PrometheusApi(url, timeout, http);
    this.clock = clock;
  }

  /** Every host, whichever revision is rolled out: one query reads them all. */
  @Override
  public FleetState observe(String revision) {
    Instant observedAt = clock.instant();
    return new FleetState(hosts().stream().map(ReportedHost::state).toList(), observedAt);
  }

  /**
   * The hosts with what {@code berth fleet} shows of them, by name.
   *
   * @throws FleetUnavailable with a one-line reason
   */
  public List<ReportedHost> hosts() {
    List<PrometheusApi.Sample> samples = api.query(FleetQuery.PROMQL);
    try {
      return FleetReading.hosts(samples);
    } catch (FleetUnavailable e) {
      throw api.unreadable(e);
    }
  }
}
