package dev.berth.agent.fleet;

import java.io.IOException;
import java.net.Authenticator;
import java.net.CookieHandler;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.function.Function;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;

/**
 * An {@link HttpClient} that answers every request from a function, in process: the answer's body
 * goes through the caller's own body handler in chunks, as the JDK's client delivers it.
 */
final class CannedHttp extends HttpClient {
  /** What the server does: answer with a status and body, fail, or never answer. */
  sealed interface Answer {
    record Respond(int status, byte[] body) implements Answer {}

    record Fail(IOException failure) implements Answer {}

    record Hang() implements Answer {}

    static Answer json(int status, String body) {
      return new Respond(status, body.getBytes(StandardCharsets.UTF_8));
    }
  }

  final List<HttpRequest> requests = new ArrayList<>();
  final List<String> bodies = new ArrayList<>();
  private final Function<HttpRequest, Answer> server;

  CannedHttp(Function<HttpRequest, Answer> server) {
    this.server = server;
  }

  static CannedHttp answering(Answer answer) {
    return new CannedHttp(request -> answer);
  }

  @Override
  public <T> CompletableFuture<HttpResponse<T>> sendAsync(
      HttpRequest request, HttpResponse.BodyHandler<T> handler) {
    requests.add(request);
    bodies.add(body(request));
    Answer answer = server.apply(request);
    if (answer instanceof Answer.Respond respond) {
      return respond(request, respond, handler);
    }
    if (answer instanceof Answer.Fail fail) {
      return CompletableFuture.failedFuture(fail.failure());
    }
    return new CompletableFuture<>(); // Hang: the caller's timeout ends it
  }

  private static <T> CompletableFuture<HttpResponse<T>> respond(
      HttpRequest request, Answer.Respond respond, HttpResponse.BodyHandler<T> handler) {
    HttpHeaders headers = HttpHeaders.of(Map.of(), (name, value) -> true);
    HttpResponse.BodySubscriber<T> subscriber =
        handler.apply(
            new HttpResponse.ResponseInfo() {
              @Override
              public int statusCode() {
                return respond.status();
              }

              @Override
              public HttpHeaders headers() {
                return headers;
              }

              @Override
              public Version version() {
                return Version.HTTP_1_1;
              }
            });
    subscriber.onSubscribe(
        new Flow.Subscription() {
          @Override
          public void request(long n) {}

          @Override
          public void cancel() {}
        });
    byte[] body = respond.body();
    for (int offset = 0; offset < body.length; offset += 64 * 1024) {
      int length = Math.min(64 * 1024, body.length - offset);
      subscriber.onNext(List.of(ByteBuffer.wrap(body, offset, length)));
    }
    subscriber.onComplete();
    return subscriber
        .getBody()
        .toCompletableFuture()
        .thenApply(value -> response(request, respond.status(), headers, value));
  }

  private static <T> HttpResponse<T> response(
      HttpRequest request, int status, HttpHeaders headers, T body) {
    return new HttpResponse<>() {
      @Override
      public int statusCode() {
        return status;
      }

      @Override
      public HttpRequest request() {
        return request;
      }

      @Override
      public Optional<HttpResponse<T>> previousResponse() {
        return Optional.empty();
      }

      @Override
      public HttpHeaders headers() {
        return headers;
      }

      @Override
      public T body() {
        return body;
      }

      @Override
      public Optional<SSLSession> sslSession() {
        return Optional.empty();
      }

      @Override
      public URI uri() {
        return request.uri();
      }

      @Override
      public Version version() {
        return Version.HTTP_1_1;
      }
    };
  }

  /** The request's form body, read through its publisher. */
  private static String body(HttpRequest request) {
    StringBuilder text = new StringBuilder();
    request
        .bodyPublisher()
        .ifPresent(
            publisher ->
                publisher.subscribe(
                    new Flow.Subscriber<ByteBuffer>() {
                      @Override
                      public void onSubscribe(Flow.Subscription subscription) {
                        subscription.request(Long.MAX_VALUE);
                      }

                      @Override
                      public void onNext(ByteBuffer item) {
                        text.append(StandardCharsets.UTF_8.decode(item));
                      }

                      @Override
                      public void onError(Throwable throwable) {}

                      @Override
                      public void onComplete() {}
                    }));
    return text.toString();
  }

  @Override
  public <T> CompletableFuture<HttpResponse<T>> sendAsync(
      HttpRequest request,
      HttpResponse.BodyHandler<T> handler,
      HttpResponse.PushPromiseHandler<T> pushPromiseHandler) {
    return sendAsync(request, handler);
  }

  @Override
  public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
    throw new UnsupportedOperationException("PrometheusApi sends asynchronously");
  }

  @Override
  public Optional<CookieHandler> cookieHandler() {
    return Optional.empty();
  }

  @Override
  public Optional<Duration> connectTimeout() {
    return Optional.empty();
  }

  @Override
  public Redirect followRedirects() {
    return Redirect.NEVER;
  }

  @Override
  public Optional<ProxySelector> proxy() {
    return Optional.empty();
  }

  @Override
  public SSLContext sslContext() {
    return null;
  }

  @Override
  public SSLParameters sslParameters() {
    return null;
  }

  @Override
  public Optional<Authenticator> authenticator() {
    return Optional.empty();
  }

  @Override
  public Version version() {
    return Version.HTTP_1_1;
  }

  @Override
  public Optional<Executor> executor() {
    return Optional.empty();
  }
}
