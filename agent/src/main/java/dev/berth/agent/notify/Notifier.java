package dev.berth.agent.notify;

import dev.berth.agent.config.AgentConfig.Notification;
import dev.berth.agent.events.AgentEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Sends the agent's events to the receivers of {@code notifications:}, each on its own thread with
 * its own bounded queue: what the agent's event journal calls for every event.
 */
public final class Notifier implements AutoCloseable {
  private final List<Receiver> receivers = new ArrayList<>();

  /**
   * @param host this host's name, in every body
   * @param secrets each receiver's secret by name (those without one are sent unsigned)
   */
  public Notifier(
      String host,
      List<Notification> settings,
      Map<String, byte[]> secrets,
      NotificationMetrics metrics) {
    this(host, settings, secrets, metrics, RetryPolicy.DEFAULT, Receiver.DEFAULT_CAPACITY);
  }

  /** With {@code retries} and each receiver's queue {@code capacity}: the tests' small ones. */
  public Notifier(
      String host,
      List<Notification> settings,
      Map<String, byte[]> secrets,
      NotificationMetrics metrics,
      RetryPolicy retries,
      int capacity) {
    EventFormats formats = new EventFormats(host);
    for (Notification receiver : settings) {
      byte[] secret = secrets.get(receiver.name());
      receivers.add(
          new Receiver(
              receiver,
              formats,
              secret == null ? null : new BodySignature(secret),
              metrics,
              retries,
              capacity));
    }
  }

  /** Starts every receiver's sender. */
  public void start() {
    receivers.forEach(Receiver::start);
  }

  /** Queues {@code event} for every receiver that wants it; never waits. */
  public void accept(AgentEvent event) {
    for (Receiver receiver : receivers) {
      receiver.offer(event);
    }
  }

  /** Events that wait for {@code receiver} (0 for none by that name). */
  public int waiting(String receiver) {
    return receivers.stream()
        .filter(r -> r.name().equals(receiver))
        .mapToInt(Receiver::waiting)
        .sum();
  }

  @Override
  public void close() throws InterruptedException {
    for (Receiver receiver : receivers) {
      receiver.close();
    }
  }
}
