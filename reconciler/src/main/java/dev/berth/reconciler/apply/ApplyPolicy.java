package dev.berth.reconciler.apply;

import java.util.Map;

/**
 * How far a pass may go: containers to leave alone (suspended, backing off) with the reason,
 * whether to prune and to heal drift, and the guard against mass removal.
 */
public record ApplyPolicy(
    Map<String, String> frozen,
    boolean prune,
    boolean selfHeal,
    int maxRemovals,
    boolean allowEmpty) {
  /** What {@code berth apply} does: everything the plan says. */
  public static final ApplyPolicy APPLY_ALL =
      new ApplyPolicy(Map.of(), true, true, Integer.MAX_VALUE, true);

  public ApplyPolicy {
    frozen = Map.copyOf(frozen);
  }
}
