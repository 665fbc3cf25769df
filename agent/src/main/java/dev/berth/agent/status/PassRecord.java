package dev.berth.agent.status;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** One reconcile pass: when, how long, at which revision, its result and its actions. */
public record PassRecord(
    Instant started, Duration duration, String revision, String trigger, String result, List<String> actions) {}
