package dev.berth.reconciler.apply;

import dev.berth.reconciler.plan.PlannedAction;

/** Hears a pass as it happens: each action when it starts and its result when it ends. */
public interface ApplyListener {
  ApplyListener NONE = new ApplyListener() {};

  default void starting(PlannedAction action) {}

  default void finished(ContainerResult result) {}

  default void note(String message) {}

  /** Another berth process holds the host lock; the pass waits for it. */
  default void waiting(String holder) {
    note(holder);
  }
}
