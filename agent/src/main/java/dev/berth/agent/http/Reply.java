package dev.berth.agent.http;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** What the server answers: a status, a small body and its headers. */
record Reply(int status, String contentType, byte[] body, Map<String, String> headers) {
  static final String TEXT = "text/plain; charset=utf-8";
  static final String JSON = "application/json";

  /** A one-line plain-text answer; the newline keeps curl's output tidy. */
  static Reply text(int status, String line) {
    return new Reply(status, TEXT, (line + "\n").getBytes(StandardCharsets.UTF_8), Map.of());
  }

  static Reply json(byte[] body) {
    return new Reply(200, JSON, body, Map.of());
  }

  Reply withHeader(String name, String value) {
    Map<String, String> more = new LinkedHashMap<>(headers);
    more.put(name, value);
    return new Reply(status, contentType, body, Map.copyOf(more));
  }
}
