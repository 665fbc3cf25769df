package dev.berth.agent.source;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;

/**
 * Git's smart HTTP on 127.0.0.1: the JDK's HTTP server runs the real {@code git http-backend} as a
 * CGI program for each request, as Apache or nginx with fcgiwrap would. The CGI processes are this
 * JVM's children and are reaped, so run on its own ({@link #main}) its CPU with its children's is
 * the server's. Counts requests and body bytes in and out. Over https ({@link #serveHttps}) it may
 * also ask for a token, as a Git host does, and serve files beside the repositories.
 */
public final class GitHttpBackend implements AutoCloseable {
  private final HttpServer server;
  private final ExecutorService threads;
  private final Path projectRoot;
  private final Map<String, String> env;
  private final AtomicLong requests = new AtomicLong();
  private final AtomicLong bytesIn = new AtomicLong();
  private final AtomicLong bytesOut = new AtomicLong();
  private final java.util.concurrent.atomic.AtomicInteger failWith =
      new java.util.concurrent.atomic.AtomicInteger();
  private final String authorization;
  private final AtomicLong refused = new AtomicLong();
  private final Set<InetSocketAddress> clients = ConcurrentHashMap.newKeySet();

  private GitHttpBackend(
      HttpServer server, Path projectRoot, Map<String, String> env, int threadCount, String token) {
    this.projectRoot = projectRoot;
    this.env = Map.copyOf(env);
    this.server = server;
    this.authorization =
        token == null
            ? null
            : "Basic "
                + Base64.getEncoder()
                    .encodeToString(
                        (RemoteAccess.TOKEN_USER + ":" + token).getBytes(StandardCharsets.UTF_8));
    this.threads = Executors.newFixedThreadPool(threadCount);
    server.setExecutor(threads);
    server.createContext("/", this::handle);
    server.start();
  }

  /** Serves the repositories under {@code projectRoot} with {@code threadCount} request threads. */
  static GitHttpBackend serve(Path projectRoot, Map<String, String> env, int threadCount)
      throws IOException {
    return new GitHttpBackend(
        HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 1024),
        projectRoot,
        env,
        threadCount,
        null);
  }

  /**
   * Serves the repositories under {@code projectRoot} over https with the certificate of {@code
   * tls}; every request must carry {@code token} as Basic credentials (as Git hosts take a token),
   * or is answered 401.
   */
  public static GitHttpBackend serveHttps(Path projectRoot, SSLContext tls, String token)
      throws IOException {
    HttpsServer server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
    server.setHttpsConfigurator(new HttpsConfigurator(tls));
    return new GitHttpBackend(server, projectRoot, Map.of(), 4, token);
  }

  /** Serves {@code file} at {@code path} (such as "/images/base.tar") to anyone, as a download. */
  public void serveFile(String path, Path file) {
    server.createContext(
        path,
        exchange -> {
          try (exchange) {
            requests.incrementAndGet();
            exchange.sendResponseHeaders(200, Files.size(file));
            try (OutputStream body = exchange.getResponseBody()) {
              Files.copy(file, body);
            }
          }
        });
  }

  public String url(String name) {
    String scheme = server instanceof HttpsServer ? "https" : "http";
    return scheme + "://127.0.0.1:" + server.getAddress().getPort() + "/" + name;
  }

  /** The requests answered 401: without the token, or with another. */
  public long refused() {
    return refused.get();
  }

  // As a Git host: a challenge for a request without credentials, 401 for wrong ones.
  private boolean authorized(HttpExchange exchange) throws IOException {
    if (authorization == null
        || authorization.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
      return true;
    }
    refused.incrementAndGet();
    exchange.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"git\"");
    exchange.sendResponseHeaders(401, -1);
    return false;
  }

  public long requests() {
    return requests.get();
  }

  /**
   * The client connections that Git requests came on (their address and port): kept alive, fewer.
   */
  long connections() {
    return clients.size();
  }

  long bytesIn() {
    return bytesIn.get();
  }

  long bytesOut() {
    return bytesOut.get();
  }

  /** From now on every request is answered with {@code status} (as a broken server); 0 serves. */
  void failWith(int status) {
    failWith.set(status);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      requests.incrementAndGet();
      clients.add(exchange.getRemoteAddress());
      if (failWith.get() != 0) {
        exchange.sendResponseHeaders(failWith.get(), -1);
        return;
      }
      if (!authorized(exchange)) {
        return;
      }
      byte[] body = exchange.getRequestBody().readAllBytes();
      bytesIn.addAndGet(body.length);
      ProcessBuilder builder = new ProcessBuilder("git", "http-backend");
      Map<String, String> cgi = builder.environment();
      cgi.put("GIT_CONFIG_NOSYSTEM", "1");
      cgi.put("GIT_CONFIG_GLOBAL", "/dev/null");
      cgi.put("GIT_PROJECT_ROOT", projectRoot.toString());
      cgi.put("GIT_HTTP_EXPORT_ALL", "1");
      cgi.put("GATEWAY_INTERFACE", "CGI/1.1");
      cgi.put("SERVER_PROTOCOL", "HTTP/1.1");
      cgi.put("REMOTE_ADDR", "127.0.0.1");
      cgi.put("REQUEST_METHOD", exchange.getRequestMethod());
      cgi.put("PATH_INFO", exchange.getRequestURI().getRawPath());
      String query = exchange.getRequestURI().getRawQuery();
      cgi.put("QUERY_STRING", query == null ? "" : query);
      cgi.put("CONTENT_LENGTH", Integer.toString(body.length));
      header(exchange, "Content-Type").ifPresent(v -> cgi.put("CONTENT_TYPE", v));
      header(exchange, "Content-Encoding").ifPresent(v -> cgi.put("HTTP_CONTENT_ENCODING", v));
      header(exchange, "Git-Protocol").ifPresent(v -> cgi.put("HTTP_GIT_PROTOCOL", v));
      cgi.putAll(env);
      builder.redirectError(ProcessBuilder.Redirect.DISCARD);
      Process process = builder.start();
      try (OutputStream in = process.getOutputStream()) {
        in.write(body);
      }
      byte[] out;
      try (InputStream stdout = process.getInputStream()) {
        out = stdout.readAllBytes();
      }
      waitFor(process);
      respond(exchange, out);
    }
  }

  private static java.util.Optional<String> header(HttpExchange exchange, String name) {
    return java.util.Optional.ofNullable(exchange.getRequestHeaders().getFirst(name));
  }

  // A CGI answer: header lines (Status: among them), an empty line, the body.
  private void respond(HttpExchange exchange, byte[] out) throws IOException {
    int end = headerEnd(out);
    if (end < 0) {
      exchange.sendResponseHeaders(502, -1);
      return;
    }
    String head = new String(out, 0, end, StandardCharsets.ISO_8859_1);
    int status = 200;
    Map<String, String> headers = new HashMap<>();
    for (String line : head.split("\r?\n")) {
      int colon = line.indexOf(':');
      if (colon <= 0) {
        continue;
      }
      String name = line.substring(0, colon).trim();
      String value = line.substring(colon + 1).trim();
      if (name.equalsIgnoreCase("Status")) {
        status = Integer.parseInt(value.split(" ")[0]);
      } else {
        headers.put(name, value);
      }
    }
    int bodyStart = end + (out[end] == '\r' ? 4 : 2);
    int length = out.length - bodyStart;
    headers.forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
    exchange.sendResponseHeaders(status, length == 0 ? -1 : length);
    if (length > 0) {
      try (OutputStream response = exchange.getResponseBody()) {
        response.write(out, bodyStart, length);
      }
    }
    bytesOut.addAndGet(length);
  }

  private static int headerEnd(byte[] out) {
    for (int i = 0; i + 1 < out.length; i++) {
      if (out[i] == '\n' && out[i + 1] == '\n') {
        return i;
      }
      if (i + 3 < out.length
          && out[i] == '\r'
          && out[i + 1] == '\n'
          && out[i + 2] == '\r'
          && out[i + 3] == '\n') {
        return i;
      }
    }
    return -1;
  }

  private static void waitFor(Process process) throws IOException {
    try {
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IOException("git http-backend did not exit within 60s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }

  /**
   * Runs the server on its own, for the fleet benchmark: {@code PROJECT_ROOT [THREADS]}. Prints the
   * port on a line, then serves until its standard input closes.
   */
  public static void main(String[] args) throws IOException {
    int threadCount = args.length > 1 ? Integer.parseInt(args[1]) : 64;
    try (GitHttpBackend backend = serve(Path.of(args[0]), Map.of(), threadCount)) {
      System.out.println(backend.server.getAddress().getPort());
      System.out.flush();
      System.in.transferTo(OutputStream.nullOutputStream());
    }
  }
}
