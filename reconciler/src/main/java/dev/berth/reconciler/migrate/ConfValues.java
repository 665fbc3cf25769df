package dev.berth.reconciler.migrate;

import java.util.Map;

/** An old configuration's assignments, by key: the value (stripped; "" when unset) and its line. */
record ConfValues(Map<String, ConfEntry> entries) {

  boolean has(String key) {
    return entries.containsKey(key);
  }

  String value(String key) {
    ConfEntry entry = entries.get(key);
    return entry == null ? "" : entry.value().strip();
  }

  /** The line that set {@code key}; 0 when it is unset. */
  int line(String key) {
    ConfEntry entry = entries.get(key);
    return entry == null ? 0 : entry.line();
  }
}
