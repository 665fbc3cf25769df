package dev.berth.agent.http;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * Closes a connection that has completed no request in two whole periods of {@code deadline}: a
 * client that trickles its headers or its body a byte at a time, which the idle timeout alone would
 * keep, is gone after at most three periods. Two periods, not one, so that a request that merely
 * straddles a check (the idle timeout already ends connections quiet for one period) is not cut.
 * Threads are never held by such clients (Jetty parses without blocking); this bounds the
 * connections and buffers they keep.
 */
final class RequestDeadline implements Connection.Listener {
  private final Duration deadline;
  private final Supplier<Scheduler> scheduler;

  RequestDeadline(Duration deadline, Supplier<Scheduler> scheduler) {
    this.deadline = deadline;
    this.scheduler = scheduler;
  }

  @Override
  public void onOpened(Connection connection) {
    watch(connection, connection.getMessagesOut(), 0);
  }

  private void watch(Connection connection, long answered, int quietPeriods) {
    scheduler
        .get()
        .schedule(
            () -> check(connection, answered, quietPeriods),
            deadline.toMillis(),
            TimeUnit.MILLISECONDS);
  }

  private void check(Connection connection, long answered, int quietPeriods) {
    if (!connection.getEndPoint().isOpen()) {
      return;
    }
    long now = connection.getMessagesOut();
    if (now != answered) {
      watch(connection, now, 0);
    } else if (quietPeriods >= 1) {
      connection.close();
    } else {
      watch(connection, now, quietPeriods + 1);
    }
  }
}
