package dev.berth.agent.status;

import java.time.Instant;

/** A Kubernetes-style condition: Ready, Reconciling or Stalled, with a CamelCase reason. */
public record Condition(
    String type, boolean status, String reason, String message, Instant lastTransitionTime) {}
