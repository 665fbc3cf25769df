package dev.berth.agent.cli;

import dev.berth.reconciler.apply.ApplyListener;
import dev.berth.reconciler.apply.ContainerResult;
import dev.berth.reconciler.plan.PlannedAction;
import java.io.PrintWriter;

/** Prints each action as it starts and its result as it ends: apply, create, update, remove. */
record ActionPrinter(PrintWriter out) implements ApplyListener {
  @Override
  public void starting(PlannedAction action) {
    synchronized (out) {
      out.println("... " + action.line());
      out.flush();
    }
  }

  @Override
  public void finished(ContainerResult result) {
    synchronized (out) {
      out.println(result.line());
      out.flush();
    }
  }

  @Override
  public void note(String message) {
    synchronized (out) {
      out.println("note: " + message);
      out.flush();
    }
  }
}
