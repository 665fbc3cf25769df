package dev.berth.agent.process;

import dev.berth.reconciler.host.CommandResult;
import dev.berth.reconciler.host.Journal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * berth's {@link Journal}: {@code journalctl}, one run of a unit by its {@code InvocationID}; empty
 * where it cannot tell (no journal, failed).
 */
public final class JournalctlJournal implements Journal {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final Pattern INVOCATION = Pattern.compile("[0-9a-f]{32}");

  @Override
  public List<String> tail(String unit, String invocation, int lines) {
    CommandResult result = Subprocess.of(command(unit, invocation, lines)).timeout(TIMEOUT).run();
    return result instanceof CommandResult.Exited exited && exited.code() == 0
        ? exited.output()
        : List.of();
  }

  /**
   * The {@code journalctl} command line: the unit's lines, and with an invocation only those of
   * that run, what its processes logged ({@code _SYSTEMD_INVOCATION_ID}) or systemd logged about it
   * ({@code INVOCATION_ID}).
   */
  static List<String> command(String unit, String invocation, int lines) {
    List<String> command = new ArrayList<>();
    command.add("journalctl");
    command.add("--unit=" + unit);
    if (!invocation.isEmpty()) {
      if (!INVOCATION.matcher(invocation).matches()) {
        throw new IllegalArgumentException("not an InvocationID: " + invocation);
      }
      command.addAll(
          List.of("_SYSTEMD_INVOCATION_ID=" + invocation, "+", "INVOCATION_ID=" + invocation));
    }
    command.addAll(List.of("--lines=" + lines, "--no-pager", "--output=cat", "--quiet"));
    return command;
  }
}
