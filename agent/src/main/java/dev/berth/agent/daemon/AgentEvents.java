package dev.berth.agent.daemon;

import dev.berth.agent.events.EventJournal;
import dev.berth.agent.events.EventType;
import dev.berth.agent.source.SourceFailure;
import dev.berth.reconciler.apply.ContainerResult;
import dev.berth.reconciler.apply.Outcome;
import dev.berth.reconciler.plan.ActionClass;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Decides which of the agent's doings become events, and writes each one's journal line from the
 * same facts: the one place for both. A condition that persists (a failing container, a refused
 * signature, a hold, a refused prune) is an event as it begins, not at every pass that sees it.
 */
final class AgentEvents {
  private final ActionLog log;
  private final EventJournal journal;

  /** Per subject (a container, the source, the rollout, ...), what was reported last. */
  private final Map<String, Object> ongoing = new HashMap<>();

  AgentEvents(ActionLog log, EventJournal journal) {
    this.log = log;
    this.journal = journal;
  }

  EventJournal journal() {
    return journal;
  }

  /** One container's part of a pass ended (called as it ends, maybe from a worker thread). */
  void containerFinished(String revision, ContainerResult result) {
    boolean acted = result.action() != ActionClass.NONE;
    if (!acted && result.outcome() == Outcome.CONVERGED) {
      ends("container " + result.name());
      return;
    }
    log.event(
        "action",
        "container",
        result.name(),
        "action",
        result.action().label(),
        "revision",
        revision,
        "result",
        result.outcome().name().toLowerCase(Locale.ROOT),
        "detail",
        result.message(),
        "drift",
        result.drifted() ? "true" : null);
    String what =
        result.action().label() + (result.message().isEmpty() ? "" : ": " + result.message());
    switch (result.outcome()) {
      case CONVERGED -> {
        ends("container " + result.name());
        journal.record(
            result.drifted() ? EventType.DRIFT_HEALED : EventType.APPLIED,
            result.name(),
            revision,
            what);
      }
      case FAILED -> {
        if (begins("container " + result.name(), revision)) {
          journal.record(EventType.FAILED, result.name(), revision, what);
        }
      }
      case ROLLED_BACK -> {
        ends("container " + result.name());
        log.event(
            "container rolled back",
            "container",
            result.name(),
            "revision",
            revision,
            "reason",
            "RolledBack",
            "detail",
            result.message());
        journal.record(EventType.ROLLED_BACK, result.name(), revision, result.message());
      }
      case BLOCKED, SKIPPED -> {}
    }
  }

  /** A pass applied {@code revision} in full, a new one for the host. */
  void revisionApplied(String revision, int containers) {
    journal.record(
        EventType.APPLIED,
        null,
        revision,
        "revision applied (" + containers + " container" + (containers == 1 ? "" : "s") + " here)");
  }

  /** The newest revision's manifests are invalid (each revision is checked once). */
  void rejected(String revision, List<String> errors) {
    log.event(
        "revision rejected",
        "revision",
        revision,
        "reason",
        "InvalidManifests",
        "errors",
        errors.size(),
        "first",
        errors.get(0));
    journal.record(
        EventType.INVALID,
        null,
        revision,
        "InvalidManifests: "
            + errors.size()
            + " error"
            + (errors.size() == 1 ? "" : "s")
            + ", the first: "
            + errors.get(0));
  }

  /** A poll of the source failed; a refused signature is an event, once per commit. */
  void sourceFailed(SourceFailure failure) {
    log.event(
        "source failed",
        "reason",
        failure.reason().camelCase(),
        "revision",
        failure.revision(),
        "error",
        failure.getMessage());
    if (failure.reason() != SourceFailure.Reason.SIGNATURE_REFUSED) {
      return;
    }
    if (begins("signature", failure.revision())) {
      journal.record(EventType.SIGNATURE_REFUSED, null, failure.revision(), failure.getMessage());
    }
  }

  /** A poll of the source succeeded: a later refusal of the same commit is news again. */
  void sourceFetched() {
    ends("signature");
  }

  /**
   * Where the rollout stands after a pass: {@code reason} null when nothing holds the newest
   * revision; a hold is an event as it begins (a new revision, wave or reason).
   */
  void rollout(String revision, String wave, String reason, String message) {
    if (reason == null) {
      ends("rollout");
      return;
    }
    if (begins("rollout", List.of(revision, wave, reason))) {
      log.event(
          "rollout held", "revision", revision, "wave", wave, "reason", reason, "detail", message);
      journal.record(EventType.HELD, null, revision, reason + ": " + message);
    }
  }

  /** A pass would remove more than the sync policy allows, and changed nothing. */
  void pruneRefused(String revision, String refusal) {
    log.event(
        "pass refused", "revision", revision, "reason", "MassPruneRefused", "detail", refusal);
    if (begins("prune", List.of(revision, refusal))) {
      journal.record(EventType.REFUSED, null, revision, "MassPruneRefused: " + refusal);
    }
  }

  /** A pass's removals were within the sync policy: a later refusal is news again. */
  void pruneAllowed() {
    ends("prune");
  }

  /** A pass ran to its end: a later crash is news again. */
  void passRan() {
    ends("pass");
  }

  /** A pass crashed; the same crash again is not news until a pass runs. */
  void passFailed(Throwable e) {
    log.event("pass failed", "error", e.toString());
    if (begins("pass", e.toString())) {
      journal.record(EventType.FAILED, null, null, "pass failed: " + e);
    }
  }

  /** Whether {@code state} is new for {@code subject}: it begins (or changed) now. */
  private synchronized boolean begins(String subject, Object state) {
    Object now = Objects.requireNonNullElse(state, "");
    return !now.equals(ongoing.put(subject, now));
  }

  private synchronized void ends(String subject) {
    ongoing.remove(subject);
  }
}
