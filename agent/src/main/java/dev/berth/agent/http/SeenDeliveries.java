package dev.berth.agent.http;

import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The webhook deliveries of the last {@code window}, at most {@code capacity} of them: a delivery
 * whose signature or delivery id is among them is a replay (or a Git server's retry) and triggers
 * nothing new. The oldest are forgotten first, so memory stays bounded under any flood.
 */
final class SeenDeliveries {
  static final Duration WINDOW = Duration.ofMinutes(10);
  static final int CAPACITY = 1024;

  private final int capacity;
  private final long windowNanos;
  private final LongSupplier nanoTime;
  // Insertion order is time order: the eldest entry is the first to expire.
  private final LinkedHashMap<String, Long> seenAt = new LinkedHashMap<>();

  SeenDeliveries() {
    this(CAPACITY, WINDOW, System::nanoTime);
  }

  SeenDeliveries(int capacity, Duration window, LongSupplier nanoTime) {
    if (capacity < 1 || window.isNegative() || window.isZero()) {
      throw new IllegalArgumentException("a capacity >= 1 and a positive window");
    }
    this.capacity = capacity;
    this.windowNanos = window.toNanos();
    this.nanoTime = nanoTime;
  }

  /**
   * Records the delivery's keys and says whether none of them was seen within the window; a
   * delivery without keys (nothing identifies it) is always new.
   */
  synchronized boolean firstTime(List<String> keys) {
    long now = nanoTime.getAsLong();
    expire(now);
    boolean seen = keys.stream().anyMatch(seenAt::containsKey);
    if (!seen) {
      for (String key : keys) {
        seenAt.put(key, now);
        if (seenAt.size() > capacity) {
          Iterator<Map.Entry<String, Long>> eldest = seenAt.entrySet().iterator();
          eldest.next();
          eldest.remove();
        }
      }
    }
    return !seen;
  }

  /** Forgets the keys of a delivery that was recorded but did not trigger. */
  synchronized void forget(List<String> keys) {
    keys.forEach(seenAt::remove);
  }

  synchronized int size() {
    return seenAt.size();
  }

  private void expire(long now) {
    Iterator<Map.Entry<String, Long>> entries = seenAt.entrySet().iterator();
    while (entries.hasNext() && now - entries.next().getValue() >= windowNanos) {
      entries.remove();
    }
  }
}
