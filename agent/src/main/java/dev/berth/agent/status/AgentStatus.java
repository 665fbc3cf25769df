package dev.berth.agent.status;

import java.util.List;

/**
 * Everything {@code /api/v1/status} and {@code berth status} show; {@code rollout} is null when the
 * repository has no Rollout.
 */
public record AgentStatus(
    String host,
    String version,
    boolean suspended,
    boolean ready,
    SourceStatus source,
    String lastAppliedRevision,
    String lastAttemptedRevision,
    List<String> errors,
    List<ContainerStatus> containers,
    List<PassRecord> passes,
    RolloutStatus rollout) {}
