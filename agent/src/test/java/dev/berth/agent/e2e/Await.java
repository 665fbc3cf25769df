package dev.berth.agent.e2e;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** Waiting in end-to-end tests for what a real host does in its own time. */
final class Await {
  private Await() {}

  /** Polls {@code condition} every 100 ms until it holds, or fails naming {@code what}. */
  static void until(String what, Duration timeout, BooleanSupplier condition)
      throws InterruptedException {
    until(what, timeout, condition, () -> "");
  }

  /** The same, with what to show when it times out (the agent's log, its status). */
  static void until(
      String what, Duration timeout, BooleanSupplier condition, Supplier<String> diagnostics)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "timed out after "
                + timeout.toSeconds()
                + " s waiting until "
                + what
                + diagnostics.get());
      }
      Thread.sleep(100);
    }
  }

  /**
   * Runs {@code probe} every 100 ms until its output satisfies {@code done} (a probe that fails
   * counts as output that does not), and returns that output; fails naming {@code what} and showing
   * the last output.
   */
  static String output(
      String what, Duration timeout, Callable<String> probe, Predicate<String> done)
      throws InterruptedException {
    String[] last = {""};
    until(
        what,
        timeout,
        () -> {
          try {
            last[0] = probe.call();
          } catch (Exception | AssertionError e) {
            last[0] = String.valueOf(e.getMessage());
          }
          return done.test(last[0]);
        },
        () -> "\nlast seen:\n" + last[0]);
    return last[0];
  }
}
