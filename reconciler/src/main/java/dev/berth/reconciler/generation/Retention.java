package dev.berth.reconciler.generation;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Which generations a host keeps: the newest {@code keep} of them, and the last good one in any
 * case, since it is the rollback target.
 */
public final class Retention {
  private Retention() {}

  /** The generations of {@code history} (oldest first) to release. */
  public static List<Generation> released(List<Generation> history, int keep) {
    Optional<Generation> lastGood = lastGood(history);
    List<Generation> released = new ArrayList<>();
    int kept = 0;
    for (int i = history.size() - 1; i >= 0; i--) {
      Generation generation = history.get(i);
      boolean keepIt = kept < keep || lastGood.map(good -> good == generation).orElse(false);
      if (keepIt) {
        kept++;
      } else {
        released.add(0, generation);
      }
    }
    return released;
  }

  /** The newest good generation: what a rollback returns to. */
  public static Optional<Generation> lastGood(List<Generation> history) {
    for (int i = history.size() - 1; i >= 0; i--) {
      if (history.get(i).good()) {
        return Optional.of(history.get(i));
      }
    }
    return Optional.empty();
  }
}
