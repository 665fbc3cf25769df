package dev.berth.agent.http;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * Closes a connection that has answered nothing for a whole {@code deadline}: a client that
 * trickles its headers or its body a byte at a time, which the idle timeout alone would keep, is
 * gone after at most twice the deadline. Threads are never held by such clients (Jetty parses
 * without blocking); this bounds the connections and buffers they keep.
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
    watch(connection, connection.getMessagesOut());
  }

  private void watch(Connection connection, long answered) {
    scheduler
        .get()
        .schedule(() -> check(connection, answered), deadline.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void check(Connection connection, long answered) {
    if (!connection.getEndPoint().isOpen()) {
      return;
    }
    long now = connection.getMessagesOut();
    if (now == answered) {
      connection.close();
    } else {
      watch(connection, now);
    }
  }
}
