package dev.berth.agent.daemon;

import static dev.berth.agent.status.ConditionReason.BACKING_OFF;
import static dev.berth.agent.status.ConditionReason.BUILDING_SYSTEM;
import static dev.berth.agent.status.ConditionReason.DEPENDENCY_NOT_READY;
import static dev.berth.agent.status.ConditionReason.DRIFT_DETECTED;
import static dev.berth.agent.status.ConditionReason.JOB_IN_PROGRESS;
import static dev.berth.agent.status.ConditionReason.NOT_MANAGED_BY_BERTH;
import static dev.berth.agent.status.ConditionReason.RECONCILIATION_FAILED;
import static dev.berth.agent.status.ConditionReason.RECONCILIATION_SUCCEEDED;
import static dev.berth.agent.status.ConditionReason.ROLLED_BACK;
import static dev.berth.agent.status.ConditionReason.SUSPENDED;
import static dev.berth.reconciler.pass.SkipReason.NOT_BERTHS;

import dev.berth.agent.status.AgentStatus;
import dev.berth.agent.status.Condition;
import dev.berth.agent.status.ConditionReason;
import dev.berth.agent.status.ContainerStatus;
import dev.berth.agent.status.PassRecord;
import dev.berth.agent.status.SourceStatus;
import dev.berth.reconciler.apply.ContainerResult;
import dev.berth.reconciler.model.Container;
import dev.berth.reconciler.model.RunState;
import dev.berth.reconciler.pass.SkipReason;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The agent's status as it evolves: per container its phase and conditions (with stable CamelCase
 * reasons), the source, the last passes. {@code lastAppliedRevision} moves only on success, {@code
 * lastAttemptedRevision} always.
 */
final class StatusBook {
  static final int PASSES_KEPT = 20;

  private final String host;
  private final String version;
  private final Map<String, ContainerStatus> containers = new TreeMap<>();
  private final Deque<PassRecord> passes = new ArrayDeque<>();
  private SourceStatus source;
  private String lastAppliedRevision;
  private String lastAttemptedRevision;
  private List<String> errors = List.of();
  private boolean ready;

  StatusBook(String host, String version, SourceStatus source) {
    this.host = host;
    this.version = version;
    this.source = source;
  }

  synchronized void source(SourceStatus source) {
    this.source = source;
  }

  synchronized SourceStatus source() {
    return source;
  }

  synchronized void attempted(String revision) {
    lastAttemptedRevision = revision;
  }

  synchronized void applied(String revision) {
    lastAppliedRevision = revision;
  }

  synchronized String lastAppliedRevision() {
    return lastAppliedRevision;
  }

  /** Errors that concern the whole revision (invalid manifests, a refused prune). */
  synchronized void errors(List<String> errors) {
    this.errors = List.copyOf(errors);
  }

  synchronized void ready() {
    ready = true;
  }

  synchronized boolean isReady() {
    return ready;
  }

  synchronized void pass(PassRecord record) {
    passes.addFirst(record);
    while (passes.size() > PASSES_KEPT) {
      passes.removeLast();
    }
  }

  /** Records one container's result of a pass at {@code revision}. */
  synchronized void result(
      Container container,
      ContainerResult result,
      String revision,
      Set<String> suspended,
      Instant now) {
    ContainerStatus previous = containers.get(result.name());
    String applied = previous == null ? null : previous.lastAppliedRevision();
    String phase;
    List<Condition> conditions = new ArrayList<>();
    String error = null;
    switch (result.outcome()) {
      case CONVERGED -> {
        applied = revision;
        phase = container.spec().state() == RunState.RUNNING ? "Running" : "Stopped";
        conditions.add(
            condition(previous, "Ready", true, RECONCILIATION_SUCCEEDED, result.message(), now));
      }
      case FAILED -> {
        phase = "Failed";
        error = result.message();
        conditions.add(
            condition(previous, "Ready", false, RECONCILIATION_FAILED, result.message(), now));
        conditions.add(
            condition(previous, "Reconciling", true, BACKING_OFF, "retrying with backoff", now));
      }
      case ROLLED_BACK -> {
        phase = "RolledBack";
        error = result.message();
        conditions.add(condition(previous, "Ready", false, ROLLED_BACK, result.message(), now));
      }
      case BLOCKED -> {
        phase = "Blocked";
        error = result.message();
        conditions.add(
            condition(previous, "Ready", false, DEPENDENCY_NOT_READY, result.message(), now));
      }
      default -> {
        boolean isSuspended = suspended.contains(result.name());
        phase =
            isSuspended
                ? "Suspended"
                : result.skip().orElse(null) == SkipReason.ROLLED_BACK
                    ? "RolledBack"
                    : previous == null ? "Pending" : previous.phase();
        ConditionReason reason =
            isSuspended
                ? SUSPENDED
                : result.drifted() ? DRIFT_DETECTED : skipped(result.skip().orElse(NOT_BERTHS));
        conditions.add(condition(previous, "Ready", false, reason, result.message(), now));
        switch (reason) {
          case NOT_MANAGED_BY_BERTH ->
              conditions.add(condition(previous, "Stalled", true, reason, result.message(), now));
          case BACKING_OFF ->
              conditions.add(
                  condition(previous, "Reconciling", true, reason, "retrying with backoff", now));
          case BUILDING_SYSTEM, JOB_IN_PROGRESS ->
              conditions.add(
                  condition(previous, "Reconciling", true, reason, result.message(), now));
          default -> {}
        }
      }
    }
    containers.put(
        result.name(),
        new ContainerStatus(
            result.name(),
            phase,
            conditions,
            applied,
            revision,
            error,
            result.drifted(),
            suspended.contains(result.name())));
  }

  /** The condition reason of a container the pass planner left alone, and not suspended. */
  private static ConditionReason skipped(SkipReason why) {
    return switch (why) {
      case NOT_BERTHS, NOT_PRUNED -> NOT_MANAGED_BY_BERTH;
      case HELD -> BACKING_OFF; // held and not suspended: waiting out its backoff
      case BUILDING, NOT_BUILT -> BUILDING_SYSTEM;
      case JOB_IN_PROGRESS -> JOB_IN_PROGRESS;
      case DRIFT_NOT_HEALED -> DRIFT_DETECTED;
      case ROLLED_BACK -> ROLLED_BACK;
      case OUTSIDE_WINDOW -> BACKING_OFF;
    };
  }

  synchronized void removed(String name) {
    containers.remove(name);
  }

  synchronized List<ContainerStatus> containers() {
    return List.copyOf(containers.values());
  }

  synchronized void keepOnly(Set<String> names) {
    containers.keySet().retainAll(names);
  }

  synchronized AgentStatus snapshot(boolean suspended) {
    return new AgentStatus(
        host,
        version,
        suspended,
        ready,
        source,
        lastAppliedRevision,
        lastAttemptedRevision,
        errors,
        List.copyOf(containers.values()),
        List.copyOf(passes));
  }

  /** Keeps a condition's transition time while its status stays the same. */
  private static Condition condition(
      ContainerStatus previous,
      String type,
      boolean status,
      ConditionReason reason,
      String message,
      Instant now) {
    Instant since = now;
    if (previous != null) {
      for (Condition old : previous.conditions()) {
        if (old.type().equals(type) && old.status() == status) {
          since = old.lastTransitionTime();
        }
      }
    }
    return new Condition(type, status, reason.camelCase(), message, since);
  }
}
