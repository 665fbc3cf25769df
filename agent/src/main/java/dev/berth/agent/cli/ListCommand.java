package dev.berth.agent.cli;

import dev.berth.agent.files.JsonInventoryStore;
import dev.berth.reconciler.host.HostSnapshot;
import dev.berth.reconciler.host.RuntimeFailure;
import dev.berth.reconciler.inventory.Inventory;
import dev.berth.reconciler.inventory.Owner;
import dev.berth.reconciler.inventory.Provenance;
import dev.berth.reconciler.render.HostPaths;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code berth list}: the containers berth created on this host, by owner, with their state. */
@Command(
    name = "list",
    description =
        "List the containers berth created on this host: owner (git or imperative), unit state,"
            + " image, Git revision or when it was last changed.",
    exitCodeListHeading = "Exit codes:%n",
    exitCodeList = {"0:listed", "2:inventory unreadable, no D-Bus"})
final class ListCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin CommonOptions common;

  /** One line of the list. */
  record Row(
      String name, String owner, String state, String image, String revision, String updated) {}

  @Override
  public Integer call() throws Exception {
    Inventory inventory = new JsonInventoryStore(LiveHost.STATE_DIR).load();
    HostSnapshot snapshot;
    try (LiveHost live = LiveHost.connect(Duration.ofSeconds(10), false)) {
      snapshot = live.observe();
    } catch (RuntimeFailure e) {
      throw new UserError(e.getMessage());
    }
    List<Row> rows = rows(inventory, snapshot);
    PrintWriter out = spec.commandLine().getOut();
    if (common.output == CommonOptions.OutputFormat.json) {
      out.println(Json.write(Map.of("containers", rows)));
    } else {
      print(rows, out);
    }
    return ExitCodes.OK;
  }

  static List<Row> rows(Inventory inventory, HostSnapshot snapshot) {
    TreeSet<String> names = new TreeSet<>(inventory.containers().keySet());
    names.addAll(inventory.provenance().keySet());
    List<Row> rows = new ArrayList<>();
    for (String name : names) {
      Provenance recorded = inventory.provenance().get(name);
      Owner owner = inventory.owner(name).orElse(Owner.GIT);
      String state =
          inventory.get(name).isEmpty()
              ? "not-created"
              : snapshot.unit(HostPaths.unit(name)).toString();
      rows.add(
          new Row(
              name,
              owner.label(),
              state,
              recorded == null ? null : recorded.image(),
              recorded == null ? null : recorded.revision(),
              recorded == null ? null : recorded.updated()));
    }
    return rows;
  }

  private static void print(List<Row> rows, PrintWriter out) {
    if (rows.isEmpty()) {
      out.println("no containers in berth's inventory on this host");
      return;
    }
    TextTable table = new TextTable("NAME", "OWNER", "STATE", "IMAGE", "REVISION", "UPDATED");
    for (Row row : rows) {
      table.row(
          row.name(),
          row.owner(),
          row.state(),
          dash(row.image()),
          TextTable.revision(row.revision()),
          dash(row.updated()));
    }
    table.print(out);
  }

  private static String dash(String value) {
    return value == null ? "-" : value;
  }
}
