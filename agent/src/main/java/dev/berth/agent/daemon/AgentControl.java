package dev.berth.agent.daemon;

import dev.berth.agent.status.AgentStatus;

/** What the HTTP API may ask of the running agent. */
public interface AgentControl {

  /** Asks for a pass as soon as possible; triggers during a pass coalesce into one follow-up. */
  void triggerReconcile(String reason);

  /**
   * Suspends the whole agent ({@code container} null) or one container.
   *
   * @throws IllegalArgumentException if no such container is managed here (answered 404)
   */
  void suspend(String container);

  /** Resumes the whole agent ({@code container} null) or one container; throws as suspend. */
  void resume(String container);

  AgentStatus status();

  /** Whether the first pass has ended, and whether the reconcile loop still makes progress. */
  Health health();
}
