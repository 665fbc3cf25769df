package dev.berth.agent.cli;

import dev.berth.agent.files.AtomicFiles;
import dev.berth.reconciler.diag.Diagnostic;
import dev.berth.reconciler.migrate.Finding;
import dev.berth.reconciler.migrate.LegacyConf;
import dev.berth.reconciler.migrate.MigratedContainer;
import dev.berth.reconciler.migrate.Migration;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code berth migrate}: RFC 0108's migration plan. Old nixos-container configurations become
 * Container manifests; their state directories are listed, and moved only with {@code --move}.
 */
@Command(
    name = "migrate",
    description = {
      "Turn nixos-container configurations (/etc/nixos-containers/*.conf, or /etc/containers on"
          + " older NixOS) into Container manifests and the Nix files they build, checked with"
          + " berth's validation; list the state directories to move to /var/lib/machines.",
      "Nothing is moved without --move, and then only while the container is stopped and its"
          + " target does not exist."
    },
    exitCodeListHeading = "Exit codes:%n",
    exitCodeList = {
      "0:migrated (warnings name what was not carried over)",
      "1:a configuration could not be migrated, the manifests would not be valid, or a move was"
          + " refused",
      "2:usage or I/O error"
    })
final class MigrateCommand implements Callable<Integer>, ReadsManifests {
  @Spec CommandSpec spec;
  @Mixin CommonOptions common;

  @Option(
      names = "--root",
      paramLabel = "DIR",
      defaultValue = "/",
      description =
          "The host's root; the default paths are under it. Not /: the tree is not this host's, so"
              + " berth does not ask systemd whether its containers run (default: /).")
  Path root;

  @Option(
      names = "--from",
      paramLabel = "DIR",
      description =
          "Where the .conf files are (default: ROOT/etc/nixos-containers, or ROOT/etc/containers"
              + " if that does not exist).")
  Path from;

  @Option(
      names = "--state-dir",
      paramLabel = "DIR",
      description =
          "Where the containers' state is (default: ROOT/var/lib/nixos-containers with"
              + " /etc/nixos-containers, else ROOT/var/lib/containers).")
  Path stateDir;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      description =
          "Write NAME.yaml and nix/NAME*.nix here (it may be a manifest repository); without it,"
              + " the manifests go to stdout.")
  Path out;

  @Option(
      names = "--host",
      paramLabel = "NAME",
      description =
          "The host the manifests place the containers on (default: this machine's name).")
  String host;

  @Option(
      names = "--move",
      description =
          "Move each state directory to ROOT/var/lib/machines/NAME (a rename; refused if the"
              + " target exists or the container runs).")
  boolean move;

  @Override
  public Integer call() throws Exception {
    PrintWriter stdout = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    boolean json = common.output == CommonOptions.OutputFormat.json;
    // Without --out the manifests are the output; everything else is for the user, on stderr.
    PrintWriter report = out == null && !json ? err : stdout;
    String hostName = host != null ? host : LiveHost.hostname();
    LegacyHost legacy = LegacyHost.find(root, from, stateDir);
    List<String> ignored = new ArrayList<>();
    List<LegacyConf> confs = legacy.containers(ignored);
    if (!json) {
      ignored.forEach(line -> err.println("note: " + line));
    }
    if (confs.isEmpty()) {
      throw new UserError("no nixos-container configurations in " + legacy.configDir);
    }
    Migration.Result result = new Migration(hostName).run(confs);
    Map<Path, String> files = out == null ? Map.of() : targets(result);
    if (!json) {
      result.skipped().forEach(finding -> err.println("error: " + finding));
      for (MigratedContainer container : result.containers()) {
        container.warnings().forEach(warning -> err.println("warning: " + warning));
      }
    }
    if (!result.valid()) {
      if (json) {
        stdout.println(Json.write(json(result, List.of(), hostName)));
      } else {
        err.println("the manifests would not be valid; nothing written:");
        result.diagnostics().stream()
            .filter(Diagnostic::isError)
            .forEach(d -> err.println("  " + d.format()));
      }
      return ExitCodes.FINDINGS;
    }
    if (out != null) {
      write(files, json ? null : report);
    } else if (!json) {
      stdout.print(stream(result));
      err.println(
          "note: the Nix files the manifests name are written only with --out DIR: "
              + result.containers().stream()
                  .flatMap(c -> c.files().keySet().stream().filter(p -> p.endsWith(".nix")))
                  .toList());
    }
    List<StateMoves.Move> moves = moves(result, legacy);
    if (json) {
      stdout.println(Json.write(json(result, moves, hostName)));
    } else {
      summary(report, result, moves);
    }
    boolean refused = moves.stream().anyMatch(m -> m.status() == StateMoves.Status.REFUSED);
    return result.skipped().isEmpty() && !(move && refused) ? ExitCodes.OK : ExitCodes.FINDINGS;
  }

  private List<StateMoves.Move> moves(Migration.Result result, LegacyHost legacy) {
    List<StateMoves.Move> planned = new ArrayList<>();
    for (MigratedContainer container : result.containers()) {
      planned.add(
          StateMoves.plan(
              container.name(),
              legacy.stateDir.resolve(container.name()),
              legacy.machinesDir.resolve(container.name())));
    }
    if (!move) {
      return planned;
    }
    try (MachineLiveness liveness = liveness()) {
      return planned.stream().map(m -> StateMoves.execute(m, liveness)).toList();
    }
  }

  /** Whether a container runs, asked of systemd and machined; for another root, nothing runs. */
  private MachineLiveness liveness() {
    return root.toAbsolutePath().normalize().equals(Path.of("/"))
        ? MachineLiveness.connect()
        : MachineLiveness.notThisHost();
  }

  /** Where each file goes under --out; refused before anything is printed or written. */
  private Map<Path, String> targets(Migration.Result result) {
    Path base = out.toAbsolutePath().normalize();
    Map<Path, String> files = new LinkedHashMap<>();
    for (MigratedContainer container : result.containers()) {
      container
          .files()
          .forEach((path, content) -> files.put(base.resolve(path).normalize(), content));
    }
    for (Path target : files.keySet()) {
      if (!target.startsWith(base)) {
        throw new UserError("refusing to write outside " + out + ": " + target);
      }
      if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
        throw new UserError(
            target + " already exists; berth migrate overwrites nothing (choose another --out)");
      }
    }
    return files;
  }

  private static void write(Map<Path, String> files, PrintWriter report)
      throws java.io.IOException {
    for (Map.Entry<Path, String> file : files.entrySet()) {
      Files.createDirectories(file.getKey().getParent());
      AtomicFiles.write(file.getKey(), file.getValue().getBytes(StandardCharsets.UTF_8));
      if (report != null) {
        report.println("wrote " + file.getKey());
      }
    }
  }

  private static String stream(Migration.Result result) {
    StringBuilder yaml = new StringBuilder();
    for (MigratedContainer container : result.containers()) {
      if (!yaml.isEmpty()) {
        yaml.append("---\n");
      }
      yaml.append(container.files().get(container.manifestPath()));
    }
    return yaml.toString();
  }

  private void summary(PrintWriter report, Migration.Result result, List<StateMoves.Move> moves) {
    report.println(
        move
            ? "state directories:"
            : "state directories to move (with the containers stopped; berth migrate --move does"
                + " it):");
    moves.forEach(m -> report.println("  " + m.describe()));
    report.println("to do:");
    for (MigratedContainer container : result.containers()) {
      container.todo().forEach(item -> report.println("  " + container.name() + ": " + item));
    }
    report.println(
        "  each container: take it out of the host's NixOS configuration (containers.NAME) or"
            + " delete its .conf once its state is moved, so that container@NAME never starts an"
            + " empty one under the same machine name");
    int warnings = result.containers().stream().mapToInt(c -> c.warnings().size()).sum();
    long moved = moves.stream().filter(m -> m.status() == StateMoves.Status.MOVED).count();
    long toMove = moves.stream().filter(m -> m.status() == StateMoves.Status.TO_MOVE).count();
    long refused = moves.stream().filter(m -> m.status() == StateMoves.Status.REFUSED).count();
    report.println(
        "migrated "
            + result.containers().size()
            + " container"
            + (result.containers().size() == 1 ? "" : "s")
            + (out == null ? "" : " into " + out)
            + " ("
            + warnings
            + " warning"
            + (warnings == 1 ? "" : "s")
            + (result.skipped().isEmpty() ? "" : ", " + result.skipped().size() + " skipped")
            + "); state: "
            + (move ? moved + " moved, " : toMove + " to move, ")
            + refused
            + " refused");
  }

  private Map<String, Object> json(
      Migration.Result result, List<StateMoves.Move> moves, String hostName) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("host", hostName);
    json.put("valid", result.valid());
    List<Map<String, Object>> containers = new ArrayList<>();
    for (MigratedContainer container : result.containers()) {
      Map<String, Object> c = new LinkedHashMap<>();
      c.put("name", container.name());
      c.put("source", container.source());
      c.put("manifest", container.manifestPath());
      c.put("files", out == null ? container.files() : container.files().keySet());
      c.put("warnings", container.warnings().stream().map(Finding::toString).toList());
      c.put("notes", container.notes());
      c.put("todo", container.todo());
      moves.stream()
          .filter(m -> m.name().equals(container.name()))
          .findFirst()
          .ifPresent(
              m -> {
                Map<String, Object> state = new LinkedHashMap<>();
                state.put("from", m.from().toString());
                state.put("to", m.to().toString());
                state.put("status", m.status().name().toLowerCase(java.util.Locale.ROOT));
                state.put("detail", m.detail());
                c.put("state", state);
              });
      containers.add(c);
    }
    json.put("containers", containers);
    json.put("skipped", result.skipped().stream().map(Finding::toString).toList());
    json.put(
        "errors",
        result.diagnostics().stream().filter(Diagnostic::isError).map(Diagnostic::format).toList());
    return json;
  }
}
