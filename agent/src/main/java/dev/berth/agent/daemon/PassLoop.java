package dev.berth.agent.daemon;

import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs passes one at a time on its own thread. A trigger during a pass does not start a second one:
 * all triggers that arrive meanwhile coalesce into one follow-up pass. It keeps the loop's last
 * sign of life for the watchdog ({@link LoopProgress}).
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
  private final Consumer<Throwable> escaped;
  private final Clock clock;
  private String pendingTrigger;
  private boolean scheduled;
  private volatile boolean running;
  private volatile Thread passThread;
  private volatile Instant lastSign;
  private volatile long passesFinished;

  /** {@code escaped} hears what a pass threw instead of recording it itself; the loop goes on. */
  PassLoop(Consumer<String> pass, Consumer<Throwable> escaped, Clock clock) {
    this.pass = pass;
    this.escaped = escaped;
    this.clock = clock;
    this.lastSign = clock.instant();
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
      passThread = Thread.currentThread();
      running = true;
      progressed();
      try {
        pass.accept(trigger);
      } catch (RuntimeException | Error e) {
        // An Error (out of memory, say) must not end the loop: the next trigger would find it
        // still scheduled and no pass would ever run again.
        escaped.accept(e);
      } finally {
        passesFinished++;
        running = false;
        progressed();
      }
    }
  }

  /** The running pass moved on (an action started or finished). */
  void progressed() {
    lastSign = clock.instant();
  }

  LoopProgress progress() {
    return new LoopProgress(running, lastSign, passesFinished);
  }

  /** Where the running pass is now (empty between passes): what a stuck pass waits for. */
  java.util.List<StackTraceElement> passStack() {
    Thread thread = passThread;
    return running && thread != null
        ? java.util.List.of(thread.getStackTrace())
        : java.util.List.of();
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
