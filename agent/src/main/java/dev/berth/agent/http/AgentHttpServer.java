package dev.berth.agent.http;

import com.sun.net.httpserver.HttpServer;
import dev.berth.agent.daemon.AgentControl;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The agent's one small HTTP server: {@code /metrics}, {@code /healthz}, {@code /readyz}, {@code
 * /api/v1/...} for the CLI and {@code /hooks/...} for Git servers' push webhooks.
 */
public final class AgentHttpServer implements AutoCloseable {
  /** Bodies are webhook payloads: a push event is kilobytes, a megabyte is plenty. */
  static final int MAX_BODY = 1024 * 1024;

  /** What the server tolerates; tests use tighter limits. */
  record Limits(int maxBody, int triggerBurst, Duration triggerPeriod) {
    static final Limits DEFAULT = new Limits(MAX_BODY, 5, Duration.ofSeconds(1));
  }

  // A few threads so that a slow scrape never holds up a probe or a webhook; a bounded queue,
  // and past it the accepting thread serves the request itself, which slows accepting down.
  private static final int THREADS = 4;
  private static final int QUEUE = 64;

  private final InetSocketAddress listen;
  private final Router router;
  private HttpServer server;
  private ExecutorService executor;

  /**
   * @param webhookSecret the secret shared with the Git server, or null: the hooks then answer 404,
   *     as no request could be authenticated
   */
  public AgentHttpServer(
      InetSocketAddress listen,
      AgentControl control,
      PrometheusMeterRegistry registry,
      byte[] webhookSecret) {
    this(listen, control, registry, webhookSecret, Limits.DEFAULT);
  }

  AgentHttpServer(
      InetSocketAddress listen,
      AgentControl control,
      PrometheusMeterRegistry registry,
      byte[] webhookSecret,
      Limits limits) {
    this.listen = listen;
    WebhookSecret secret = webhookSecret == null ? null : new WebhookSecret(webhookSecret);
    ApiEndpoints api = new ApiEndpoints(control, registry, bucket(limits));
    router =
        new Router(limits.maxBody())
            .route("GET", "/metrics", api::metrics)
            .route("GET", "/healthz", api::health)
            .route("GET", "/readyz", api::ready)
            .route("GET", "/api/v1/status", api::status)
            .route("POST", "/api/v1/reconcile", api::reconcile)
            .route("POST", "/api/v1/suspend", api::suspend)
            .route("POST", "/api/v1/resume", api::resume);
    // One bucket for all the hooks: a Git server that sends to two of them still gets one limit.
    TokenBucket hooks = bucket(limits);
    for (Webhook webhook : Webhook.values()) {
      WebhookEndpoint endpoint = new WebhookEndpoint(webhook, secret, control, hooks);
      router.route("POST", webhook.path(), endpoint::handle);
    }
  }

  /** Binds the listen address and serves; fails if the address is taken. */
  public synchronized void start() throws IOException {
    if (server != null) {
      throw new IllegalStateException("the HTTP server is already started");
    }
    slowClientTimeouts();
    HttpServer created = HttpServer.create(listen, 0);
    executor = executor();
    created.setExecutor(executor);
    created.createContext("/", router);
    created.start();
    server = created;
  }

  /** The bound address: the real port when the listen address asked for port 0. */
  public synchronized InetSocketAddress address() {
    if (server == null) {
      throw new IllegalStateException("the HTTP server is not started");
    }
    return server.getAddress();
  }

  /** Gives running exchanges up to a second to finish, then closes every connection. */
  public synchronized void stop() {
    if (server == null) {
      return;
    }
    // JDK 17's HttpServer.stop(delay) sleeps the whole delay even when idle, so the grace period
    // is spent here, only while exchanges run.
    router.awaitIdle(Duration.ofSeconds(1));
    server.stop(0);
    executor.shutdownNow();
    server = null;
    executor = null;
  }

  @Override
  public void close() {
    stop();
  }

  /**
   * A client that opens a connection and then sends (or reads) nothing would hold one of the few
   * threads forever; the JDK server's only guard is these JVM-wide properties, read when its first
   * server is created. Set only when absent, so that a -D on the command line wins.
   */
  private static void slowClientTimeouts() {
    for (String property :
        new String[] {"sun.net.httpserver.maxReqTime", "sun.net.httpserver.maxRspTime"}) {
      if (System.getProperty(property) == null) {
        System.setProperty(property, "30");
      }
    }
  }

  private static TokenBucket bucket(Limits limits) {
    return new TokenBucket(limits.triggerBurst(), limits.triggerPeriod());
  }

  private static ExecutorService executor() {
    AtomicInteger count = new AtomicInteger();
    ThreadFactory threads =
        runnable -> {
          Thread thread = new Thread(runnable, "berth-http-" + count.incrementAndGet());
          thread.setDaemon(true);
          return thread;
        };
    ThreadPoolExecutor executor =
        new ThreadPoolExecutor(
            THREADS,
            THREADS,
            30,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(QUEUE),
            threads,
            new ThreadPoolExecutor.CallerRunsPolicy());
    executor.allowCoreThreadTimeOut(true);
    return executor;
  }
}
