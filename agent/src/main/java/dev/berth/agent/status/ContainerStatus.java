package dev.berth.agent.status;

import java.util.List;

/**
 * One container as the agent sees it: its phase (Running, Stopped, Pending, Failed, Blocked,
 * Suspended, Removed), conditions, the revisions last applied (success only) and attempted
 * (always), the last error, and whether it drifted from Git.
 */
public record ContainerStatus(
    String name,
    String phase,
    List<Condition> conditions,
    String lastAppliedRevision,
    String lastAttemptedRevision,
    String lastError,
    boolean drifted,
    boolean suspended) {}
