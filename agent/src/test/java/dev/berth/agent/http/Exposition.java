package dev.berth.agent.http;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/** A Prometheus text exposition read back: series to value, family to type. */
record Exposition(Map<String, Double> samples, Map<String, String> types) {

  static Exposition parse(String text) {
    Map<String, Double> samples = new LinkedHashMap<>();
    Map<String, String> types = new TreeMap<>();
    for (String line : text.split("\n")) {
      if (line.startsWith("# TYPE ")) {
        String[] parts = line.split(" ");
        types.put(parts[2], parts[3]);
      } else if (!line.isBlank() && !line.startsWith("#")) {
        int space = line.lastIndexOf(' ');
        samples.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
      }
    }
    return new Exposition(samples, types);
  }

  /** The samples of one family's name prefix, such as {@code berth_container_info}. */
  Map<String, Double> series(String name) {
    Map<String, Double> series = new TreeMap<>();
    samples.forEach(
        (key, value) -> {
          if (key.equals(name) || key.startsWith(name + "{")) {
            series.put(key, value);
          }
        });
    return series;
  }

  /** Types of the families whose name starts with {@code prefix}. */
  Map<String, String> types(String prefix) {
    Map<String, String> selected = new TreeMap<>();
    types.forEach(
        (name, type) -> {
          if (name.startsWith(prefix)) {
            selected.put(name, type);
          }
        });
    return selected;
  }
}
