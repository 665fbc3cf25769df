package dev.berth.agent.notify;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;

/** Notification metrics a test can read: counts by receiver and result. */
final class CountingMetrics implements NotificationMetrics {
  private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
  final Map<String, IntSupplier> queues = new ConcurrentHashMap<>();

  @Override
  public void receiver(String name, IntSupplier queueLength) {
    queues.put(name, queueLength);
  }

  @Override
  public void counted(String receiver, Result result) {
    counts
        .computeIfAbsent(receiver + "/" + result.label(), k -> new AtomicInteger())
        .incrementAndGet();
  }

  int count(String receiver, Result result) {
    AtomicInteger count = counts.get(receiver + "/" + result.label());
    return count == null ? 0 : count.get();
  }

  /** Waits up to 20 s for {@code done}; fails naming {@code what} otherwise. */
  static void await(String what, BooleanSupplier done) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting until " + what);
      }
      Thread.sleep(10);
    }
  }
}
