package dev.berth.agent.fleet;

import dev.berth.agent.fleet.FleetQuery.Kind;
import dev.berth.agent.fleet.PrometheusApi.Sample;
import dev.berth.reconciler.rollout.FleetObserver.FleetUnavailable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The answer to {@link FleetQuery#PROMQL} read as hosts: series joined by job and instance. */
final class FleetReading {
  private FleetReading() {}

  /**
   * The hosts, by name. A host that moved to another target within the lookback is the one that
   * reports; two targets that report one host name, or two that did, are a conflict.
   */
  static List<ReportedHost> hosts(List<Sample> samples) {
    Map<String, TargetSeries> targets = new LinkedHashMap<>();
    for (Sample sample : samples) {
      String kindLabel = sample.labels().get(FleetQuery.KIND_LABEL);
      Kind kind =
          Kind.of(kindLabel == null ? "" : kindLabel)
              .orElseThrow(
                  () ->
                      new FleetUnavailable(
                          "malformed series: a series the fleet's query does not make"));
      String target =
          sample.labels().getOrDefault("job", "")
              + "/"
              + sample.labels().getOrDefault("instance", "");
      targets.computeIfAbsent(target, TargetSeries::new).add(kind, sample);
    }
    Map<String, ReportedHost> byName = new LinkedHashMap<>();
    for (TargetSeries target : targets.values()) {
      target.host().ifPresent(host -> byName.merge(host.state().host(), host, FleetReading::one));
    }
    List<ReportedHost> hosts = new ArrayList<>(byName.values());
    hosts.sort(Comparator.comparing(host -> host.state().host()));
    return hosts;
  }

  private static ReportedHost one(ReportedHost a, ReportedHost b) {
    if (a.state().reporting() != b.state().reporting()) {
      return a.state().reporting() ? a : b;
    }
    throw new FleetUnavailable(
        "conflicting series: "
            + a.target()
            + " and "
            + b.target()
            + " both report host "
            + a.state().host()
            + " (one agent scraped twice, or two agents with one host.name)");
  }
}
