package dev.berth.agent.process;

import dev.berth.reconciler.host.CommandResult;
import dev.berth.reconciler.host.Journal;
import java.time.Duration;
import java.util.List;

/** berth's {@link Journal}: {@code journalctl}; empty where it cannot tell (no journal, failed). */
public final class JournalctlJournal implements Journal {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  @Override
  public List<String> tail(String unit, int lines) {
    CommandResult result =
        Subprocess.of(
                "journalctl",
                "--unit=" + unit,
                "--lines=" + lines,
                "--no-pager",
                "--output=cat",
                "--quiet")
            .timeout(TIMEOUT)
            .run();
    return result instanceof CommandResult.Exited exited && exited.code() == 0
        ? exited.output()
        : List.of();
  }
}
