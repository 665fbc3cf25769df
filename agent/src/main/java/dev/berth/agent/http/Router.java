package dev.berth.agent.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Sends each request to the endpoint of its exact path and method, reads bodies up to a limit, and
 * turns every failure into a short answer: never a stack trace on the wire.
 */
final class Router implements HttpHandler {
  private static final System.Logger LOG = System.getLogger(Router.class.getName());

  /** One endpoint: what a request to its path and method gets. */
  @FunctionalInterface
  interface Endpoint {
    Reply handle(Request request);
  }

  private final Map<String, Map<String, Endpoint>> routes = new LinkedHashMap<>();
  private final int maxBody;
  private final AtomicInteger active = new AtomicInteger();

  Router(int maxBody) {
    this.maxBody = maxBody;
  }

  Router route(String method, String path, Endpoint endpoint) {
    routes.computeIfAbsent(path, key -> new LinkedHashMap<>()).put(method, endpoint);
    return this;
  }

  @Override
  public void handle(HttpExchange exchange) {
    active.incrementAndGet();
    try (exchange) {
      send(exchange, reply(exchange));
    } catch (IOException | RuntimeException e) {
      // The client went away or the connection broke mid-answer: nobody is left to tell.
      LOG.log(Level.DEBUG, "HTTP exchange failed: " + e);
    } finally {
      active.decrementAndGet();
    }
  }

  /** Waits until no exchange is running, or {@code timeout} has passed. */
  void awaitIdle(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (active.get() > 0 && System.nanoTime() < deadline) {
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private Reply reply(HttpExchange exchange) {
    String path = exchange.getRequestURI().getPath();
    Map<String, Endpoint> methods = routes.get(path);
    if (methods == null) {
      return Reply.text(404, "not found: " + path);
    }
    Endpoint endpoint = methods.get(exchange.getRequestMethod());
    if (endpoint == null) {
      String allowed = String.join(", ", new TreeSet<>(methods.keySet()));
      return Reply.text(405, "method not allowed: use " + allowed).withHeader("Allow", allowed);
    }
    try {
      byte[] body = readBody(exchange);
      if (body == null) {
        // The rest of the body stays unread: close the connection rather than drain it.
        return Reply.text(413, "request body too large: the limit is " + maxBody + " bytes")
            .withHeader("Connection", "close");
      }
      Request request =
          new Request(
              exchange.getRequestMethod(),
              path,
              exchange.getRequestURI().getRawQuery(),
              exchange.getRequestHeaders(),
              body);
      return endpoint.handle(request);
    } catch (Request.BadRequest e) {
      return Reply.text(400, e.getMessage());
    } catch (IOException e) {
      return Reply.text(400, "cannot read the request body");
    } catch (RuntimeException e) {
      LOG.log(Level.ERROR, "HTTP " + exchange.getRequestMethod() + " " + path + " failed", e);
      return Reply.text(500, "internal error: see the agent's log");
    }
  }

  /** The whole body, or null when it is longer than the limit. */
  private byte[] readBody(HttpExchange exchange) throws IOException {
    String length = exchange.getRequestHeaders().getFirst("Content-Length");
    if (length != null) {
      try {
        if (Long.parseLong(length.trim()) > maxBody) {
          return null;
        }
      } catch (NumberFormatException e) {
        throw new Request.BadRequest("malformed Content-Length");
      }
    }
    InputStream in = exchange.getRequestBody();
    byte[] body = in.readNBytes(maxBody + 1);
    return body.length > maxBody ? null : body;
  }

  private static void send(HttpExchange exchange, Reply reply) throws IOException {
    var headers = exchange.getResponseHeaders();
    headers.set("Content-Type", reply.contentType());
    headers.set("Cache-Control", "no-store");
    headers.set("X-Content-Type-Options", "nosniff");
    reply.headers().forEach(headers::set);
    exchange.sendResponseHeaders(
        reply.status(), reply.body().length == 0 ? -1 : reply.body().length);
    exchange.getResponseBody().write(reply.body());
  }
}
