package dev.berth.agent.daemon;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs passes one at a time on its own thread. A trigger during a pass does not start a second one:
 * all triggers that arrive meanwhile coalesce into one follow-up pass.
 */
final class PassLoop implements AutoCloseable {
  private final ExecutorService worker =
      Executors.newSingleThreadExecutor(
          runnable -> {
            Thread thread = new Thread(runnable, "berth-pass");
            thread.setDaemon(true);
            return thread;
          });
  private final Consumer<String> pass;
  private String pendingTrigger;
  private boolean scheduled;

  PassLoop(Consumer<String> pass) {
    this.pass = pass;
  }

  /** Asks for a pass; {@code trigger} says why (poll, webhook, drift, ...). */
  synchronized void trigger(String trigger) {
    pendingTrigger = pendingTrigger == null ? trigger : pendingTrigger;
    if (!scheduled) {
      scheduled = true;
      worker.execute(this::drain);
    }
  }

  private void drain() {
    while (true) {
      String trigger;
      synchronized (this) {
        if (pendingTrigger == null) {
          scheduled = false;
          return;
        }
        trigger = pendingTrigger;
        pendingTrigger = null;
      }
      pass.accept(trigger);
    }
  }

  /** Whether a pass is running or waiting. */
  synchronized boolean busy() {
    return scheduled;
  }

  @Override
  public void close() throws InterruptedException {
    worker.shutdown();
    worker.awaitTermination(5, TimeUnit.MINUTES);
  }
}
