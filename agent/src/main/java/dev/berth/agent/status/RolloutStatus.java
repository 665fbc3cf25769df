package dev.berth.agent.status;

/**
 * Where this host stands in the repository's rollout: its wave, the newest valid revision, and the
 * condition {@code RolloutHeld} (true, with the reason {@code WaitingForWave}, {@code Soaking},
 * {@code GateFailed}, {@code GateUnavailable}, {@code Jitter}, {@code Halted} or {@code
 * OutsideWindow}, while the host does not apply that revision, or not all of it).
 */
public record RolloutStatus(String wave, String revision, Condition held) {}
