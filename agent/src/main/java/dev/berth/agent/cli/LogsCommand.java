package dev.berth.agent.cli;

import dev.berth.agent.process.Subprocess;
import dev.berth.reconciler.host.CommandResult;
import dev.berth.reconciler.render.HostPaths;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code berth logs NAME}: the container's journal ({@link ContainerJournal}), shown by journalctl
 * itself with its own options: berth runs it (never a shell) on this terminal and passes its exit
 * code on as 0 or 2.
 */
@Command(
    name = "logs",
    description =
        "Show a container's journal: its unit's (its console, systemd's lines about it) and,"
            + " when the container links its journal (LinkJournal=), the guest's; through"
            + " journalctl.",
    exitCodeListHeading = "Exit codes:%n",
    exitCodeList = {
      "0:shown",
      "2:not a container name, no such container on this host, journalctl failed"
    })
final class LogsCommand implements Callable<Integer> {
  @Parameters(paramLabel = "NAME", description = "The container.")
  String name;

  @Option(
      names = {"-f", "--follow"},
      description = "Keep printing new lines until interrupted (journalctl --follow).")
  boolean follow;

  @Option(
      names = {"-n", "--lines"},
      paramLabel = "N",
      description = "Only the last N lines (journalctl --lines).")
  Integer lines;

  @Option(
      names = "--since",
      paramLabel = "TIME",
      description =
          "Only lines since TIME, as journalctl reads it: '2026-12-03 10:00', '1h ago',"
              + " 'today' (journalctl --since).")
  String since;

  @Option(names = "--debug", description = "Print stack traces of errors.")
  boolean debug;

  @Option(
      names = "--root",
      hidden = true,
      defaultValue = "/",
      description = "The host's root directory, where its containers are looked for.")
  Path root;

  @Override
  public Integer call() {
    List<String> command = command();
    CommandResult result = Subprocess.of(command).runAttached();
    if (result instanceof CommandResult.CouldNotStart) {
      throw new UserError(result.describe() + " (berth logs shows the journal through it)");
    }
    // journalctl said why on its standard error, which is this command's.
    return result.succeeded() ? ExitCodes.OK : ExitCodes.ERROR;
  }

  /** journalctl's command line; each value is one argument of its own, never a shell's word. */
  List<String> command() {
    ContainerJournal journal = new ContainerJournal(root);
    if (!journal.exists(ContainerNames.checked(name))) {
      throw new UserError(
          name
              + ": no such container on this host (not in berth's inventory, no /"
              + HostPaths.nspawn(name)
              + ", no /"
              + HostPaths.stateDir(name)
              + ", not running)");
    }
    if (lines != null && lines < 0) {
      throw new UserError("--lines " + lines + ": a number of lines is 0 or more");
    }
    List<String> command = new ArrayList<>(List.of("journalctl", "--no-pager"));
    if (follow) {
      command.add("--follow");
    }
    if (lines != null) {
      command.add("--lines=" + lines);
    }
    if (since != null) {
      command.add("--since=" + since);
    }
    command.addAll(journal.matches(name));
    return command;
  }
}
