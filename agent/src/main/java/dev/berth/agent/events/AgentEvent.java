package dev.berth.agent.events;

import java.time.Instant;

/**
 * One thing the agent did, as the events API serves it and the notifications send it: numbered in
 * the order it happened ({@code sequence} starts at 1 when the agent starts).
 *
 * @param container the container concerned, or null for the host as a whole
 * @param revision the Git revision concerned, or null
 */
public record AgentEvent(
    long sequence,
    Instant time,
    EventType type,
    String container,
    String revision,
    String message) {

  /** The revision's first 7 characters, as Git abbreviates it; "" without one. */
  public String shortRevision() {
    if (revision == null) {
      return "";
    }
    return revision.length() > 7 ? revision.substring(0, 7) : revision;
  }
}
