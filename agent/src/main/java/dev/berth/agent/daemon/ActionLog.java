package dev.berth.agent.daemon;

import java.io.PrintStream;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One structured line per event on stdout, in logfmt ({@code key=value}), which the journal keeps
 * and {@code journalctl -u berth-agent} shows: an operator can grep by container or revision.
 */
final class ActionLog {
  private final PrintStream out;

  ActionLog(PrintStream out) {
    this.out = out;
  }

  void event(String message, Map<String, ?> fields) {
    StringBuilder line =
        new StringBuilder("time=").append(Instant.now()).append(" msg=").append(quote(message));
    fields.forEach(
        (key, value) -> {
          if (value != null) {
            line.append(' ').append(key).append('=').append(quote(String.valueOf(value)));
          }
        });
    synchronized (out) {
      out.println(line);
      out.flush();
    }
  }

  void event(String message, Object... keyValues) {
    Map<String, Object> fields = new LinkedHashMap<>();
    for (int i = 0; i + 1 < keyValues.length; i += 2) {
      fields.put(String.valueOf(keyValues[i]), keyValues[i + 1]);
    }
    event(message, fields);
  }

  private static String quote(String value) {
    boolean plain =
        !value.isEmpty() && value.chars().allMatch(c -> c > ' ' && c != '"' && c != '=' && c < 127);
    return plain
        ? value
        : '"' + value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + '"';
  }
}
