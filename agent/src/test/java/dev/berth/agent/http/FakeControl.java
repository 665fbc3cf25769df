package dev.berth.agent.http;

import dev.berth.agent.daemon.AgentControl;
import dev.berth.agent.daemon.Health;
import dev.berth.agent.events.EventJournal;
import dev.berth.agent.status.AgentStatus;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/** An agent that records what the HTTP API asked of it. */
final class FakeControl implements AgentControl {
  /** Calls in order, such as {@code reconcile:api}, {@code suspend:*}, {@code resume:web}. */
  final List<String> calls = new CopyOnWriteArrayList<>();

  final Set<String> managed = Set.of("web", "db");
  volatile boolean ready;
  volatile AgentStatus status;

  /** When set, status() fails with it, as a bug in the agent would. */
  volatile RuntimeException statusFailure;

  @Override
  public void triggerReconcile(String reason) {
    calls.add("reconcile:" + reason);
  }

  @Override
  public void suspend(String container) {
    check(container);
    calls.add("suspend:" + (container == null ? "*" : container));
  }

  @Override
  public void resume(String container) {
    check(container);
    calls.add("resume:" + (container == null ? "*" : container));
  }

  @Override
  public AgentStatus status() {
    if (statusFailure != null) {
      throw statusFailure;
    }
    return status;
  }

  /** The events the agent has recorded. */
  final EventJournal journal = new EventJournal(5, java.time.Clock.systemUTC());

  @Override
  public EventJournal.Page events(long after) {
    return journal.after(after);
  }

  /** When set, the loop counts as stalled, for this reason. */
  volatile String stalled;

  @Override
  public Health health() {
    return stalled == null ? Health.live(ready) : Health.stalled(ready, stalled);
  }

  List<String> triggers() {
    return calls.stream().filter(call -> call.startsWith("reconcile:")).toList();
  }

  private void check(String container) {
    if (container != null && !managed.contains(container)) {
      throw new IllegalArgumentException("no container " + container + " is managed on this host");
    }
  }
}
