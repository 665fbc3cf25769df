package dev.berth.reconciler.pass;

import java.util.Map;

/**
 * How far a pass may go: containers to leave alone (suspended, backing off) with the reason,
 * whether to prune and to heal drift, the guard against mass removal, whether the zones' files may
 * change (not while the whole agent is suspended), and the plan classes that maintenance windows
 * hold now.
 */
public record PassPolicy(
    Map<String, String> frozen,
    boolean prune,
    boolean selfHeal,
    int maxRemovals,
    boolean allowEmpty,
    boolean holdZones,
    HeldActions held) {
  /** What {@code berth apply} does: everything the plan says. */
  public static final PassPolicy APPLY_ALL =
      new PassPolicy(Map.of(), true, true, Integer.MAX_VALUE, true);

  public PassPolicy {
    frozen = Map.copyOf(frozen);
    held = held == null ? HeldActions.NONE : held;
  }

  /** A policy that no maintenance window restricts. */
  public PassPolicy(
      Map<String, String> frozen,
      boolean prune,
      boolean selfHeal,
      int maxRemovals,
      boolean allowEmpty,
      boolean holdZones) {
    this(frozen, prune, selfHeal, maxRemovals, allowEmpty, holdZones, HeldActions.NONE);
  }

  /** A policy that lets the zones change and that no maintenance window restricts. */
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

  /** This policy, with the plan classes that the maintenance windows hold in this pass. */
  public PassPolicy withHeld(HeldActions heldNow) {
    return new PassPolicy(frozen, prune, selfHeal, maxRemovals, allowEmpty, holdZones, heldNow);
  }
}
