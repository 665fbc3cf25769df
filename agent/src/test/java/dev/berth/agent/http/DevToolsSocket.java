package dev.berth.agent.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** A DevTools protocol connection to one page of a real Chromium, for {@link HeadlessChromium}. */
final class DevToolsSocket implements WebSocket.Listener, AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final StringBuilder partial = new StringBuilder();
  private final BlockingQueue<String> messages = new LinkedBlockingQueue<>();
  private final Duration timeout;
  private WebSocket socket;
  private int calls;

  private DevToolsSocket(Duration timeout) {
    this.timeout = timeout;
  }

  /** Connects to the page at {@code target}; each call then waits up to {@code timeout}. */
  static DevToolsSocket open(URI target, Duration timeout)
      throws IOException, InterruptedException {
    DevToolsSocket listener = new DevToolsSocket(timeout);
    try {
      listener.socket =
          HttpClient.newBuilder()
              .proxy(HttpClient.Builder.NO_PROXY)
              .build()
              .newWebSocketBuilder()
              .buildAsync(target, listener)
              .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new IOException("cannot connect to chromium's DevTools at " + target + ": " + e, e);
    }
    return listener;
  }

  /** Calls the protocol's {@code method} and returns its {@code result}. */
  JsonNode call(String method, ObjectNode params) throws IOException, InterruptedException {
    int id = ++calls;
    ObjectNode call = JSON.createObjectNode().put("id", id).put("method", method);
    call.set("params", params);
    socket.sendText(JSON.writeValueAsString(call), true).join();
    JsonNode answer = answer(id, System.nanoTime() + timeout.toNanos());
    if (answer.has("error")) {
      throw new IOException(method + " failed: " + answer.get("error"));
    }
    return answer.path("result");
  }

  /** A new parameter object for {@link #call}. */
  static ObjectNode params() {
    return JSON.createObjectNode();
  }

  /**
   * The value of {@code expression} in the page, asked again until it is not null (the page may
   * still be loading).
   */
  JsonNode evaluate(String expression) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      JsonNode value =
          call(
                  "Runtime.evaluate",
                  params().put("expression", expression).put("returnByValue", true))
              .path("result")
              .path("value");
      if (!value.isMissingNode() && !value.isNull()) {
        return value;
      }
      Thread.sleep(100);
    }
    throw new IOException("'" + expression + "' stayed null for " + timeout);
  }

  @Override
  public void close() {
    socket.abort();
  }

  /** The answer to call {@code id}; the protocol's events in between are skipped. */
  private JsonNode answer(int id, long deadline) throws IOException, InterruptedException {
    while (true) {
      String message = messages.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
      if (message == null) {
        throw new IOException("chromium did not answer DevTools call " + id);
      }
      JsonNode node = JSON.readTree(message);
      if (node.path("id").asInt() == id) {
        return node;
      }
    }
  }

  @Override
  public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
    partial.append(data);
    if (last) {
      messages.add(partial.toString());
      partial.setLength(0);
    }
    socket.request(1);
    return null;
  }
}
