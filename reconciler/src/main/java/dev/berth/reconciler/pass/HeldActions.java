package dev.berth.reconciler.pass;

import dev.berth.reconciler.plan.ActionClass;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * The plan classes that the maintenance windows hold in this pass, each with the time the next
 * window that lets it run opens ({@link #NEVER} when none does). A container whose action is held
 * is left as it is until then.
 */
public record HeldActions(Map<ActionClass, Instant> until) {
  /** Nothing held: no maintenance windows, or every window that names an action is open. */
  public static final HeldActions NONE = new HeldActions(Map.of());

  /** The opening of a window that never opens again (its cron has no later firing). */
  public static final Instant NEVER = Instant.MAX;

  public HeldActions {
    until = Map.copyOf(until);
  }

  public boolean holds(ActionClass action) {
    return until.containsKey(action);
  }

  /** When a window that lets {@code action} run opens; empty when it is not held. */
  public Optional<Instant> until(ActionClass action) {
    return Optional.ofNullable(until.get(action));
  }
}
