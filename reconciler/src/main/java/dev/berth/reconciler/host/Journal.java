package dev.berth.reconciler.host;

import java.util.List;

/** A unit's journal, read to explain why it failed. */
public interface Journal {
  /** A host without a journal: nothing to show. */
  Journal NONE = (unit, invocation, lines) -> List.of();

  /**
   * The last {@code lines} lines that the unit logged in its run {@code invocation} (systemd's
   * {@code InvocationID} in hex, as a failed {@link JobResult} carries it), oldest first: what an
   * earlier run logged is not among them. With an empty {@code invocation}, the unit's last lines
   * of any run. Empty if there is no journal.
   */
  List<String> tail(String unit, String invocation, int lines);
}
