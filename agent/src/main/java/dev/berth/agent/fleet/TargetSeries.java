package dev.berth.agent.fleet;

import dev.berth.agent.fleet.FleetQuery.Kind;
import dev.berth.agent.fleet.PrometheusApi.Sample;
import dev.berth.reconciler.rollout.FleetObserver.FleetUnavailable;
import dev.berth.reconciler.rollout.FleetState.HostState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The series of one scrape target ({@code job} and {@code instance}), made one host. Two answers to
 * one question (two host names, two revisions, one label key with two values) are a conflict,
 * except that a target which no longer reports may have changed revision or wave within the
 * lookback: then that one is unknown.
 */
final class TargetSeries {
  private final String target;
  private final Map<Kind, List<Sample>> byKind = new HashMap<>();

  TargetSeries(String target) {
    this.target = target;
  }

  String target() {
    return target;
  }

  void add(Kind kind, Sample sample) {
    byKind.computeIfAbsent(kind, k -> new ArrayList<>()).add(sample);
  }

  /** The host, or empty for a target without berth_host_info (not a host of the fleet). */
  Optional<ReportedHost> host() {
    List<Sample> now = of(Kind.HOST);
    boolean reporting = !now.isEmpty();
    List<Sample> info = reporting ? now : of(Kind.HOST_LAST);
    if (info.isEmpty()) {
      return Optional.empty();
    }
    String host = single(info, "host", "host names");
    TreeSet<String> waves = new TreeSet<>();
    info.forEach(sample -> waves.add(orEmpty(sample, "wave")));
    if (reporting && waves.size() > 1) {
      throw conflict("waves " + waves);
    }
    Map<String, Integer> containers = containers();
    HostState state =
        new HostState(
            host,
            labels(),
            revision(reporting),
            reporting ? converged() : Optional.empty(),
            containers.getOrDefault("failed", 0),
            containers.getOrDefault("rolled_back", 0),
            reporting);
    return Optional.of(
        new ReportedHost(
            state,
            target,
            waves.size() == 1 ? Optional.of(waves.first()) : Optional.empty(),
            containers.getOrDefault("ready", 0),
            containers.getOrDefault("pending", 0),
            drifted(),
            held()));
  }

  private Map<String, String> labels() {
    Map<String, String> labels = new TreeMap<>();
    for (Sample sample : of(Kind.LABEL)) {
      String key = required(sample, "key");
      String value = orEmpty(sample, "value");
      String before = labels.putIfAbsent(key, value);
      if (before != null && !before.equals(value)) {
        throw conflict("values " + before + " and " + value + " of host label " + key);
      }
    }
    return labels;
  }

  private Optional<String> revision(boolean reporting) {
    TreeSet<String> revisions = values(of(Kind.REVISION), "revision");
    if (reporting && revisions.size() > 1) {
      throw conflict("applied revisions " + revisions);
    }
    return revisions.size() == 1 ? Optional.of(revisions.first()) : Optional.empty();
  }

  private Optional<Instant> converged() {
    List<Sample> converged = of(Kind.CONVERGED);
    if (converged.size() > 1) {
      throw conflict("converged timestamps");
    }
    return converged.stream()
        .map(
            sample ->
                Instant.ofEpochMilli(Math.round(checked(sample, "converged timestamp") * 1000)))
        .findFirst();
  }

  /** Counts by state; a state a newer agent may add is not this reader's to count. */
  private Map<String, Integer> containers() {
    Map<String, Integer> counts = new HashMap<>();
    for (Sample sample : of(Kind.CONTAINERS)) {
      counts.put(required(sample, "state"), count(sample, "container count"));
    }
    return counts;
  }

  private int drifted() {
    return of(Kind.DRIFTED).stream().mapToInt(sample -> count(sample, "drifted count")).sum();
  }

  private Optional<String> held() {
    TreeSet<String> reasons = values(of(Kind.HELD), "reason");
    if (reasons.size() > 1) {
      throw conflict("held reasons " + reasons);
    }
    return reasons.stream().findFirst();
  }

  private List<Sample> of(Kind kind) {
    return byKind.getOrDefault(kind, List.of());
  }

  private String single(List<Sample> samples, String label, String what) {
    TreeSet<String> values = values(samples, label);
    if (values.size() > 1) {
      throw conflict(what + " " + values);
    }
    return values.first();
  }

  private TreeSet<String> values(List<Sample> samples, String label) {
    TreeSet<String> values = new TreeSet<>();
    samples.forEach(sample -> values.add(required(sample, label)));
    return values;
  }

  private String required(Sample sample, String label) {
    String value = sample.labels().get(label);
    if (value == null) {
      throw new FleetUnavailable(
          "malformed series: a series of " + target + " without the label " + label);
    }
    return value;
  }

  /** Prometheus keeps no empty label: an absent one is the empty value (no wave, say). */
  private static String orEmpty(Sample sample, String label) {
    return sample.labels().getOrDefault(label, "");
  }

  private double checked(Sample sample, String what) {
    double value = sample.value();
    if (!Double.isFinite(value) || value < 0) {
      throw new FleetUnavailable("malformed series: " + what + " " + value + " of " + target);
    }
    return value;
  }

  private int count(Sample sample, String what) {
    double value = checked(sample, what);
    if (value != Math.rint(value) || value > Integer.MAX_VALUE) {
      throw new FleetUnavailable("malformed series: " + what + " " + value + " of " + target);
    }
    return (int) value;
  }

  private FleetUnavailable conflict(String what) {
    return new FleetUnavailable("conflicting series: " + target + " reports " + what);
  }
}
