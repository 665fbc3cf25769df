package dev.berth.agent.http;

import dev.berth.agent.daemon.AgentControl;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.AbstractConnector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.unixdomain.server.UnixDomainServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The agent's HTTP server (Jetty): on TCP {@code /metrics}, {@code /healthz}, {@code /readyz} and
 * {@code /hooks/...} for Git servers' push webhooks; the control API {@code /api/v1/...} on a unix
 * socket for the CLI, where the kernel names each caller, and over TCP only as {@link ApiAccess}
 * allows; the status page {@code /ui} as the status is.
 */
public final class AgentHttpServer implements AutoCloseable {
  /** Bodies are webhook payloads: a push event is kilobytes, a megabyte is plenty. */
  static final int MAX_BODY = 1024 * 1024;

  /** A request's head (request line and headers); Git servers send a few hundred bytes. */
  static final int MAX_HEADER = 8 * 1024;

  /** What the server tolerates; tests use tighter limits. */
  record Limits(int maxBody, int triggerBurst, Duration triggerPeriod, Duration deadline) {
    static final Limits DEFAULT =
        new Limits(MAX_BODY, 5, Duration.ofSeconds(1), Duration.ofSeconds(10));

    Limits(int maxBody, int triggerBurst, Duration triggerPeriod) {
      this(maxBody, triggerBurst, triggerPeriod, DEFAULT.deadline());
    }
  }

  // Selectors and acceptors take 4 of them (one each per listener); the rest serve requests.
  // Requests never wait on a client (bodies are read without blocking), so a few are enough.
  private static final int MAX_THREADS = 12;
  private static final int MIN_THREADS = 4;

  private final HttpSettings settings;
  private final Limits limits;
  private final Routes routes;
  private final SocketFile socketFile;
  private Server server;
  private ServerConnector tcp;

  /** The server of {@code settings}: both listeners, or TCP alone when it names no socket. */
  public AgentHttpServer(
      HttpSettings settings, AgentControl control, PrometheusMeterRegistry registry) {
    this(settings, control, registry, Limits.DEFAULT);
  }

  /** A TCP listener alone: metrics, probes and webhooks; no status and no changes. */
  public AgentHttpServer(
      InetSocketAddress listen,
      AgentControl control,
      PrometheusMeterRegistry registry,
      byte[] webhookSecret) {
    this(HttpSettings.tcpOnly(listen, webhookSecret), control, registry, Limits.DEFAULT);
  }

  AgentHttpServer(
      HttpSettings settings,
      AgentControl control,
      PrometheusMeterRegistry registry,
      Limits limits) {
    this.settings = settings;
    this.limits = limits;
    byte[] secret = settings.webhookSecret();
    WebhookSecret webhookSecret = secret == null ? null : new WebhookSecret(secret);
    ApiAccess access =
        new ApiAccess(
            settings.adminGroup(),
            settings.readGroup(),
            settings.tcpStatus(),
            settings.apiToken() == null ? null : new ApiToken(settings.apiToken()));
    PeerCredentials peers = new PeerCredentials(Path.of("/etc"));
    ApiEndpoints api = new ApiEndpoints(control, registry, bucket(limits));
    routes =
        new Routes(
                limits.maxBody(),
                access,
                request ->
                    request.getConnectionMetaData().getConnector()
                            instanceof UnixDomainServerConnector
                        ? peers.of(request)
                        : new Caller.Remote(
                            bearer(request.getHeaders().get(HttpHeader.AUTHORIZATION))))
            .route("GET", "/metrics", api::metrics)
            .route("GET", "/healthz", api::health)
            .route("GET", "/readyz", api::ready)
            .route("GET", "/api/v1/status", Operation.STATUS, api::status)
            // The events are read as the status is, by the same callers.
            .route("GET", "/api/v1/events", Operation.STATUS, api::events)
            // The page shows the status and the events: the same callers again.
            .route("GET", "/ui", Operation.STATUS, api::ui)
            .route("HEAD", "/ui", Operation.STATUS, api::ui)
            .route("POST", "/api/v1/reconcile", Operation.RECONCILE, api::reconcile)
            .route("POST", "/api/v1/suspend", Operation.SUSPEND, api::suspend)
            .route("POST", "/api/v1/resume", Operation.RESUME, api::resume);
    // One bucket for all the hooks: a Git server that sends to two of them still gets one limit.
    TokenBucket hooks = bucket(limits);
    SeenDeliveries seen = new SeenDeliveries();
    for (Webhook webhook : Webhook.values()) {
      WebhookEndpoint endpoint = new WebhookEndpoint(webhook, webhookSecret, control, hooks, seen);
      routes.route("POST", webhook.path(), endpoint::handle);
    }
    socketFile =
        settings.socket() == null
            ? null
            : new SocketFile(settings.socket(), settings.adminGroup(), settings.readGroup());
  }

  /** Binds the listeners and serves; fails if an address is taken or the socket cannot be made. */
  public synchronized void start() throws IOException {
    if (server != null) {
      throw new IllegalStateException("the HTTP server is already started");
    }
    QueuedThreadPool threads = new QueuedThreadPool(MAX_THREADS, MIN_THREADS, 30_000);
    threads.setName("berth-http");
    threads.setDaemon(true);
    threads.setReservedThreads(0);
    Server created = new Server(threads);
    created.setStopTimeout(1000);
    created.setStopAtShutdown(false);
    HttpConfiguration http = new HttpConfiguration();
    http.setRequestHeaderSize(MAX_HEADER);
    http.setSendServerVersion(false);
    http.setSendXPoweredBy(false);
    ServerConnector tcpConnector =
        new ServerConnector(created, 1, 1, new HttpConnectionFactory(http));
    tcpConnector.setHost(settings.listen().getAddress().getHostAddress());
    tcpConnector.setPort(settings.listen().getPort());
    guard(tcpConnector);
    created.addConnector(tcpConnector);
    if (socketFile != null) {
      socketFile.prepare();
      UnixDomainServerConnector unix =
          new UnixDomainServerConnector(created, 1, 1, new HttpConnectionFactory(http));
      unix.setUnixDomainPath(settings.socket());
      guard(unix);
      created.addConnector(unix);
    }
    // Stopping waits (up to the stop timeout) only for requests being served, not for idle
    // keep-alive connections.
    created.setHandler(new GracefulHandler(routes));
    try {
      created.start();
      if (socketFile != null) {
        socketFile.restrict();
      }
    } catch (Exception e) {
      stopQuietly(created);
      throw e instanceof IOException io ? io : new IOException(describe(e), e);
    }
    server = created;
    tcp = tcpConnector;
  }

  /** The bound TCP address: the real port when the listen address asked for port 0. */
  public synchronized InetSocketAddress address() {
    if (server == null) {
      throw new IllegalStateException("the HTTP server is not started");
    }
    return new InetSocketAddress(settings.listen().getAddress(), tcp.getLocalPort());
  }

  /** The unix socket, or null when the server has none. */
  public Path socket() {
    return settings.socket();
  }

  /** Gives running exchanges up to a second to finish, then closes every connection. */
  public synchronized void stop() {
    if (server == null) {
      return;
    }
    stopQuietly(server);
    server = null;
    tcp = null;
  }

  @Override
  public void close() {
    stop();
  }

  private void guard(AbstractConnector connector) {
    connector.setIdleTimeout(limits.deadline().toMillis());
    connector.addBean(new RequestDeadline(limits.deadline(), connector::getScheduler));
  }

  private static void stopQuietly(Server server) {
    try {
      server.stop();
    } catch (Exception e) {
      System.getLogger(AgentHttpServer.class.getName())
          .log(System.Logger.Level.DEBUG, "stopping the HTTP server: " + e);
    }
  }

  private static String describe(Exception e) {
    String message = e.getMessage() == null ? e.toString() : e.getMessage();
    Throwable cause = e.getCause();
    return cause != null && cause.getMessage() != null
        ? message + ": " + cause.getMessage()
        : message;
  }

  private static final String BEARER = "bearer ";

  private static String bearer(String authorization) {
    return authorization != null && authorization.toLowerCase(Locale.ROOT).startsWith(BEARER)
        ? authorization.substring(BEARER.length()).strip()
        : null;
  }

  private static TokenBucket bucket(Limits limits) {
    return new TokenBucket(limits.triggerBurst(), limits.triggerPeriod());
  }
}
