package dev.berth.agent.status;

import java.time.Instant;

/**
 * A Kubernetes-style condition: Ready, Reconciling or Stalled, with the CamelCase name of a {@link
 * ConditionReason}. The reason is a string in the document because a CLI also reads the status of
 * newer agents, which may know reasons that it does not.
 */
public record Condition(
    String type, boolean status, String reason, String message, Instant lastTransitionTime) {}
