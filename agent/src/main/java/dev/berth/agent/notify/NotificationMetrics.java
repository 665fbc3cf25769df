package dev.berth.agent.notify;

import java.util.Locale;
import java.util.function.IntSupplier;

/**
 * The notifications' metrics (docs/metrics.md): {@code berth_notifications_total{receiver,result}}
 * and {@code berth_notification_queue_length{receiver}}. Receivers are the configured ones, so the
 * labels are bounded by the configuration.
 */
public interface NotificationMetrics {
  /** Records nothing. */
  NotificationMetrics NONE = new NotificationMetrics() {};

  /** What became of one event for one receiver, or of one attempt to send it. */
  enum Result {
    /** The receiver answered 2xx. */
    SENT,
    /** An attempt failed (no answer, 5xx, 408, 429) and the event will be sent again. */
    RETRIED,
    /** The receiver refused the event (another 4xx), or every attempt failed: it is given up. */
    FAILED,
    /** The receiver's queue was full: its oldest event made way for a new one, unsent. */
    DROPPED;

    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** A receiver exists: its counters start at 0, and {@code queueLength} says what waits. */
  default void receiver(String name, IntSupplier queueLength) {}

  default void counted(String receiver, Result result) {}
}
