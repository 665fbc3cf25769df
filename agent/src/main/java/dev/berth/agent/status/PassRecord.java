package dev.berth.agent.status;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * One reconcile pass: when, how long (wall clock, and the CPU time of the thread that ran it), at
 * which revision, why, its result and its actions.
 */
public record PassRecord(
    Instant started,
    Duration duration,
    Duration cpu,
    String revision,
    String trigger,
    String result,
    List<String> actions) {}
