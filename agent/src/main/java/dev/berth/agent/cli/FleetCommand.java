package dev.berth.agent.cli;

import dev.berth.agent.fleet.PrometheusFleet;
import dev.berth.agent.fleet.ReportedHost;
import dev.berth.reconciler.rollout.FleetObserver.FleetUnavailable;
import dev.berth.reconciler.rollout.FleetState.HostState;
import java.io.PrintWriter;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code berth fleet}: the rollout across the fleet, read with the agents' own query from
 * Prometheus (docs/metrics.md, "Rollout"). It reads nothing else, so any user may run it.
 */
@Command(
    name = "fleet",
    description =
        "Show the fleet's rollout as Prometheus holds it: per host its wave, applied revision,"
            + " ready and failing containers, drift, and why its rollout holds.",
    exitCodeListHeading = "Exit codes:%n",
    exitCodeList = {
      "0:listed",
      "2:not an http(s) URL, Prometheus unreachable or slow, or an answer berth cannot read"
    })
final class FleetCommand implements Callable<Integer> {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  @Spec CommandSpec spec;
  @Mixin CommonOptions common;

  @Option(
      names = "--prometheus",
      paramLabel = "URL",
      required = true,
      description =
          "The Prometheus server that scrapes the agents, such as http://127.0.0.1:9090"
              + " (user:password@ in it is sent as basic authentication).")
  URI prometheus;

  /** One host as the command shows it; null where Prometheus does not know. */
  record Row(
      String host,
      String target,
      String wave,
      Map<String, String> labels,
      String appliedRevision,
      String convergedSince,
      int ready,
      int failed,
      int rolledBack,
      int pending,
      int drifted,
      String heldReason,
      boolean reporting) {
    /** Failed and rolled back containers together: what the rollout counts against a wave. */
    int failing() {
      return failed + rolledBack;
    }
  }

  @Override
  public Integer call() {
    PrometheusFleet fleet;
    try {
      fleet = new PrometheusFleet(prometheus, TIMEOUT);
    } catch (IllegalArgumentException e) {
      throw new UserError("--prometheus: " + e.getMessage());
    }
    List<Row> rows;
    try {
      rows = rows(fleet.hosts());
    } catch (FleetUnavailable e) {
      throw new UserError(e.getMessage());
    }
    PrintWriter out = spec.commandLine().getOut();
    if (common.output == CommonOptions.OutputFormat.json) {
      out.println(Json.write(Map.of("hosts", rows)));
    } else if (rows.isEmpty()) {
      out.println("no berth agent in Prometheus (berth_host_info): does it scrape them?");
    } else {
      print(rows, out);
    }
    return ExitCodes.OK;
  }

  /** By wave, then host; a host whose wave is unknown last. */
  static List<Row> rows(List<ReportedHost> hosts) {
    return hosts.stream()
        .map(FleetCommand::row)
        .sorted(
            Comparator.comparing(Row::wave, Comparator.nullsLast(Comparator.naturalOrder()))
                .thenComparing(Row::host))
        .toList();
  }

  private static Row row(ReportedHost reported) {
    HostState state = reported.state();
    return new Row(
        state.host(),
        reported.target(),
        reported.wave().orElse(null),
        state.labels(),
        state.appliedRevision().orElse(null),
        state.convergedSince().map(Instant::toString).orElse(null),
        reported.ready(),
        state.failed(),
        state.rolledBack(),
        reported.pending(),
        reported.drifted(),
        reported.held().orElse(null),
        state.reporting());
  }

  private static void print(List<Row> rows, PrintWriter out) {
    TextTable table =
        new TextTable("HOST", "WAVE", "REVISION", "READY", "FAILING", "DRIFTED", "HELD", "WHY");
    for (Row row : rows) {
      table.row(
          row.host(),
          row.wave() == null ? "?" : row.wave().isEmpty() ? "-" : row.wave(),
          TextTable.revision(row.appliedRevision()),
          String.valueOf(row.ready()),
          String.valueOf(row.failing()),
          row.reporting() ? String.valueOf(row.drifted()) : "?",
          !row.reporting() ? "?" : row.heldReason() == null ? "no" : "yes",
          !row.reporting()
              ? "not reporting (agent down?)"
              : row.heldReason() == null ? "-" : row.heldReason());
    }
    table.print(out);
  }
}
