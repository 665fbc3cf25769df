package dev.berth.agent.http;

import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Sends each request to the endpoint of its exact path and method, lets through to the control API
 * only the callers {@link ApiAccess} allows, reads bodies up to a limit without holding a thread,
 * and turns every failure into a short answer: never a stack trace on the wire.
 */
final class Routes extends Handler.Abstract {
  private static final System.Logger LOG = System.getLogger(Routes.class.getName());

  /** One endpoint: what a request to its path and method gets. */
  @FunctionalInterface
  interface Endpoint {
    Reply handle(Request request);
  }

  /** An endpoint, and what a caller asks for with it (null: nothing the access rules guard). */
  private record Route(Operation operation, Endpoint endpoint) {}

  private final Map<String, Map<String, Route>> routes = new LinkedHashMap<>();
  private final int maxBody;
  private final ApiAccess access;
  private final Function<org.eclipse.jetty.server.Request, Caller> callers;

  Routes(
      int maxBody, ApiAccess access, Function<org.eclipse.jetty.server.Request, Caller> callers) {
    this.maxBody = maxBody;
    this.access = access;
    this.callers = callers;
  }

  Routes route(String method, String path, Endpoint endpoint) {
    return route(method, path, null, endpoint);
  }

  /** A route of the control API: only callers allowed {@code operation} reach the endpoint. */
  Routes route(String method, String path, Operation operation, Endpoint endpoint) {
    routes
        .computeIfAbsent(path, key -> new LinkedHashMap<>())
        .put(method, new Route(operation, endpoint));
    return this;
  }

  @Override
  public boolean handle(
      org.eclipse.jetty.server.Request request, Response response, Callback callback) {
    String path = request.getHttpURI().getPath();
    Map<String, Route> methods = routes.get(path);
    if (methods == null) {
      return send(response, callback, Reply.text(404, "not found: " + path));
    }
    Route route = methods.get(request.getMethod());
    if (route == null) {
      String allowed = String.join(", ", new TreeSet<>(methods.keySet()));
      return send(
          response,
          callback,
          Reply.text(405, "method not allowed: use " + allowed).withHeader("Allow", allowed));
    }
    if (route.operation() != null) {
      ApiAccess.Decision decision = access.decide(callers.apply(request), route.operation());
      if (!decision.allowed()) {
        LOG.log(
            Level.INFO,
            "HTTP " + request.getMethod() + " " + path + " refused: " + decision.reason());
        return send(response, callback, Reply.text(403, decision.reason()));
      }
    }
    if (request.getLength() > maxBody) {
      return send(response, callback, tooLarge());
    }
    BoundedBody.read(
        request,
        maxBody,
        new BoundedBody.Outcome() {
          @Override
          public void body(byte[] body) {
            send(response, callback, answer(request, path, route.endpoint(), body));
          }

          @Override
          public void tooLarge() {
            send(response, callback, Routes.this.tooLarge());
          }

          @Override
          public void unreadable() {
            send(
                response,
                callback,
                Reply.text(400, "cannot read the request body").withHeader("Connection", "close"));
          }
        });
    return true;
  }

  private Reply answer(
      org.eclipse.jetty.server.Request request, String path, Endpoint endpoint, byte[] body) {
    try {
      return endpoint.handle(
          new Request(
              request.getMethod(),
              path,
              request.getHttpURI().getQuery(),
              request.getHeaders(),
              body));
    } catch (Request.BadRequest e) {
      return Reply.text(400, e.getMessage());
    } catch (RuntimeException e) {
      LOG.log(Level.ERROR, "HTTP " + request.getMethod() + " " + path + " failed", e);
      return Reply.text(500, "internal error: see the agent's log");
    }
  }

  private Reply tooLarge() {
    // The rest of the body stays unread: close the connection rather than drain it.
    return Reply.text(413, "request body too large: the limit is " + maxBody + " bytes")
        .withHeader("Connection", "close");
  }

  private static boolean send(Response response, Callback callback, Reply reply) {
    response.setStatus(reply.status());
    var headers = response.getHeaders();
    headers.put(HttpHeader.CONTENT_TYPE, reply.contentType());
    headers.put(HttpHeader.CACHE_CONTROL, "no-store");
    headers.put("X-Content-Type-Options", "nosniff");
    reply.headers().forEach(headers::put);
    response.write(true, ByteBuffer.wrap(reply.body()), callback);
    return true;
  }
}
