package dev.berth.agent.cli;

import dev.berth.agent.files.GenerationDirectory;
import dev.berth.reconciler.generation.Generation;
import dev.berth.reconciler.generation.Retention;
import java.io.PrintWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code berth history NAME}: the container's generations on this host (docs/rollback.md), oldest
 * first, the last good one marked: what a rollback returns to.
 */
@Command(
    name = "history",
    description =
        "List a container's generations on this host: number, revision, time, action, outcome;"
            + " * marks the last good one, the target of a rollback.",
    exitCodeListHeading = "Exit codes:%n",
    exitCodeList = {"0:listed", "2:bad name, no history readable (needs root)"})
final class HistoryCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin CommonOptions common;

  @Parameters(paramLabel = "NAME", description = "The container.")
  String name;

  @Option(
      names = "--state-dir",
      hidden = true,
      defaultValue = "/var/lib/berth",
      description = "berth's state directory.")
  Path stateDir;

  /** One generation as the command shows it. */
  record Row(
      int number,
      String revision,
      String time,
      String action,
      String outcome,
      boolean lastGood,
      String message) {}

  @Override
  public Integer call() throws Exception {
    ContainerNames.checked(name);
    List<Generation> history;
    try {
      history = new GenerationDirectory(stateDir).history(name);
    } catch (AccessDeniedException e) {
      throw new UserError("reading " + e.getFile() + " needs root: run berth history as root");
    }
    List<Row> rows = rows(history);
    PrintWriter out = spec.commandLine().getOut();
    if (common.output == CommonOptions.OutputFormat.json) {
      out.println(Json.write(Map.of("container", name, "generations", rows)));
    } else if (rows.isEmpty()) {
      out.println("no generations of " + name + " on this host");
    } else {
      print(rows, out);
    }
    return ExitCodes.OK;
  }

  static List<Row> rows(List<Generation> history) {
    Generation lastGood = Retention.lastGood(history).orElse(null);
    List<Row> rows = new ArrayList<>();
    for (Generation generation : history) {
      rows.add(
          new Row(
              generation.number(),
              generation.revision(),
              generation.time(),
              generation.action().label(),
              generation.outcome().label(),
              generation == lastGood,
              generation.message()));
    }
    return rows;
  }

  private static void print(List<Row> rows, PrintWriter out) {
    TextTable table = new TextTable("GEN", "REVISION", "TIME", "ACTION", "OUTCOME", "MESSAGE");
    for (Row row : rows) {
      table.row(
          (row.lastGood() ? "*" : "") + row.number(),
          TextTable.revision(row.revision()),
          row.time(),
          row.action(),
          row.outcome(),
          TextTable.oneLine(row.message()));
    }
    table.print(out);
  }
}
