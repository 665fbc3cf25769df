package dev.berth.agent.notify;

import dev.berth.agent.config.AgentConfig.Notification;
import dev.berth.agent.events.AgentEvent;
import dev.berth.agent.notify.NotificationMetrics.Result;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * One receiver of events: a bounded queue and its own thread, which sends each event in turn and
 * tries it again after a failure. Offering never waits: when the queue is full its oldest event
 * makes way (and is counted as dropped), so a receiver that is down or never answers costs at most
 * {@code capacity} events of memory and never holds up a pass.
 */
final class Receiver implements AutoCloseable {
  /** Events that may wait for one receiver by default. */
  static final int DEFAULT_CAPACITY = 100;

  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
  static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

  private static final System.Logger LOG = System.getLogger(Receiver.class.getName());

  /** How one attempt ended. */
  private enum Attempt {
    SENT,
    TRANSIENT,
    REFUSED
  }

  private final Notification settings;
  private final EventFormats formats;
  private final BodySignature signature;
  private final NotificationMetrics metrics;
  private final RetryPolicy retries;
  private final int capacity;
  private final Deque<AgentEvent> queue = new ArrayDeque<>();
  private final HttpClient http;
  private final Thread sender;
  private String lastProblem = "";

  /**
   * @param signature signs each body, or null: unsigned
   */
  Receiver(
      Notification settings,
      EventFormats formats,
      BodySignature signature,
      NotificationMetrics metrics,
      RetryPolicy retries,
      int capacity) {
    this.settings = settings;
    this.formats = formats;
    this.signature = signature;
    this.metrics = metrics;
    this.retries = retries;
    this.capacity = capacity;
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(CONNECT_TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    this.sender = new Thread(this::sendAll, "berth-notify-" + settings.name());
    sender.setDaemon(true);
    metrics.receiver(settings.name(), this::waiting);
  }

  String name() {
    return settings.name();
  }

  void start() {
    sender.start();
  }

  /** Queues {@code event} if this receiver wants its type; never waits. */
  void offer(AgentEvent event) {
    if (!settings.events().contains(event.type())) {
      return;
    }
    boolean dropped;
    synchronized (queue) {
      dropped = queue.size() >= capacity;
      if (dropped) {
        queue.removeFirst();
      }
      queue.addLast(event);
      queue.notifyAll();
    }
    if (dropped) {
      metrics.counted(settings.name(), Result.DROPPED);
    }
  }

  /** Events waiting to be sent (the one being sent not among them). */
  int waiting() {
    synchronized (queue) {
      return queue.size();
    }
  }

  private void sendAll() {
    try {
      while (true) {
        AgentEvent event;
        synchronized (queue) {
          while (queue.isEmpty()) {
            queue.wait();
          }
          event = queue.removeFirst();
        }
        deliver(event);
      }
    } catch (InterruptedException e) {
      // close(): the events still queued are not sent.
    }
  }

  private void deliver(AgentEvent event) throws InterruptedException {
    Envelope envelope = formats.render(settings.kind(), settings.url(), event);
    for (int attempt = 1; ; attempt++) {
      Attempt outcome = send(envelope, event);
      if (outcome == Attempt.SENT) {
        metrics.counted(settings.name(), Result.SENT);
        lastProblem = "";
        return;
      }
      if (outcome == Attempt.REFUSED || attempt >= retries.attempts()) {
        metrics.counted(settings.name(), Result.FAILED);
        LOG.log(
            Level.WARNING,
            "notification receiver "
                + settings.name()
                + ": event "
                + event.sequence()
                + " ("
                + event.type().label()
                + ") given up after "
                + attempt
                + " attempt"
                + (attempt == 1 ? "" : "s")
                + ": "
                + lastProblem);
        return;
      }
      metrics.counted(settings.name(), Result.RETRIED);
      Thread.sleep(retries.delayAfter(attempt).toMillis());
    }
  }

  private Attempt send(Envelope envelope, AgentEvent event) throws InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(envelope.target())
            .timeout(REQUEST_TIMEOUT)
            .header("Content-Type", "application/json")
            .header("User-Agent", "berth-agent")
            .header("X-Berth-Event", event.type().label())
            .POST(HttpRequest.BodyPublishers.ofByteArray(envelope.body()));
    if (signature != null) {
      request.header(BodySignature.HEADER, signature.of(envelope.body()));
    }
    int status;
    try {
      status = http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      // Never the URL: a Slack webhook's URL is its secret.
      lastProblem =
          e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
      return Attempt.TRANSIENT;
    }
    if (status >= 200 && status < 300) {
      return Attempt.SENT;
    }
    lastProblem = "answered " + status;
    // 408 and 429 say "later"; any other 4xx says the request itself is wrong.
    boolean later = status >= 500 || status == 408 || status == 429;
    return later ? Attempt.TRANSIENT : Attempt.REFUSED;
  }

  /** Stops the sender at once, between or during attempts; what is queued is not sent. */
  @Override
  public void close() throws InterruptedException {
    sender.interrupt();
    sender.join(Duration.ofSeconds(5).toMillis());
  }
}
