package dev.berth.agent.daemon;

import dev.berth.reconciler.apply.ApplyListener;
import dev.berth.reconciler.apply.ContainerResult;
import dev.berth.reconciler.apply.Outcome;
import dev.berth.reconciler.plan.ActionClass;
import dev.berth.reconciler.plan.PlannedAction;
import java.util.Locale;

/**
 * Hears the agent's pass as it happens: every step is progress for the watchdog, and every action
 * that did something (or did not converge) is one logfmt line for the journal.
 */
final class PassListener implements ApplyListener {
  private final String revision;
  private final ActionLog log;
  private final Runnable progressed;

  PassListener(String revision, ActionLog log, Runnable progressed) {
    this.revision = revision;
    this.log = log;
    this.progressed = progressed;
  }

  @Override
  public void finished(ContainerResult result) {
    progressed.run();
    if (result.action() != ActionClass.NONE || result.outcome() != Outcome.CONVERGED) {
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
    }
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
