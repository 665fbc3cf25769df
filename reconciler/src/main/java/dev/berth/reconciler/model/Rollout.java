package dev.berth.reconciler.model;

/**
 * The {@code Rollout} document (at most one per repository): in which waves the fleet's hosts take
 * a new revision, what gate each wave waits for, and when disruptive actions may run
 * (docs/rollouts.md).
 */
public record Rollout(ObjectMeta metadata, RolloutSpec spec) {
  public String name() {
    return metadata.name();
  }
}
