package dev.berth.agent.daemon;

import dev.berth.reconciler.apply.ApplyListener;
import dev.berth.reconciler.apply.ContainerResult;
import dev.berth.reconciler.plan.PlannedAction;

/**
 * Hears the agent's pass as it happens: every step is progress for the watchdog, and every action
 * that did something (or did not converge) is one logfmt line for the journal and maybe an event
 * ({@link AgentEvents} decides).
 */
final class PassListener implements ApplyListener {
  private final String revision;
  private final ActionLog log;
  private final AgentEvents events;
  private final Runnable progressed;

  PassListener(String revision, ActionLog log, AgentEvents events, Runnable progressed) {
    this.revision = revision;
    this.log = log;
    this.events = events;
    this.progressed = progressed;
  }

  @Override
  public void finished(ContainerResult result) {
    progressed.run();
    events.containerFinished(revision, result);
  }

  @Override
  public void starting(PlannedAction action) {
    progressed.run();
  }

  @Override
  public void note(String message) {
    progressed.run();
    log.event("note", "revision", revision, "detail", message);
  }

  @Override
  public void waiting(String holder) {
    log.event("waiting for the host lock", "detail", holder);
  }
}
