package dev.berth.reconciler.pass;

import java.util.Map;

/**
 * How far a pass may go: containers to leave alone (suspended, backing off) with the reason,
 * whether to prune and to heal drift, the guard against mass removal, and whether the zones' files
 * may change (not while the whole agent is suspended).
 */
public record PassPolicy(
    Map<String, String> frozen,
    boolean prune,
    boolean selfHeal,
    int maxRemovals,
    boolean allowEmpty,
    boolean holdZones) {
  /** What {@code berth apply} does: everything the plan says. */
  public static final PassPolicy APPLY_ALL =
      new PassPolicy(Map.of(), true, true, Integer.MAX_VALUE, true);

  public PassPolicy {
    frozen = Map.copyOf(frozen);
  }

  /** A policy that lets the zones change. */
  public PassPolicy(
      Map<String, String> frozen,
      boolean prune,
      boolean selfHeal,
      int maxRemovals,
      boolean allowEmpty) {
    this(frozen, prune, selfHeal, maxRemovals, allowEmpty, false);
  }

  /** The whole agent suspended: observe and report, change nothing. */
  public static PassPolicy observeOnly(Map<String, String> frozen) {
    return new PassPolicy(frozen, false, false, 0, false, true);
  }
}
