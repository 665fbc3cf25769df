package dev.berth.agent.daemon;

import dev.berth.agent.events.EventJournal;
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

  /** The agent's events kept in memory whose sequence is above {@code after}, oldest first. */
  EventJournal.Page events(long after);

  /** Whether the first pass has ended, and whether the reconcile loop still makes progress. */
  Health health();
}
