package dev.berth.agent.status;

import java.util.List;

/** Everything {@code /api/v1/status} and {@code berth status} show. */
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
    List<PassRecord> passes) {}
