package dev.berth.reconciler.host;

import java.util.List;

/** A unit's journal, read to explain why it failed. */
public interface Journal {
  /** A host without a journal: nothing to show. */
  Journal NONE = (unit, lines) -> List.of();

  /** The unit's last {@code lines} journal lines, oldest first; empty if there is no journal. */
  List<String> tail(String unit, int lines);
}
