package dev.berth.reconciler.render;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A systemd-style INI file ({@code .nspawn}, {@code .network}, a drop-in): ordered sections of
 * ordered settings, where a key may repeat. Comments are not part of it.
 */
public final class UnitFile {
  /** Separates a repeated section's name from its number, which the text leaves out. */
  private static final char REPEAT = '#';

  private final Map<String, List<Map.Entry<String, String>>> sections = new LinkedHashMap<>();

  public UnitFile section(String name) {
    sections.computeIfAbsent(name, n -> new ArrayList<>());
    return this;
  }

  public UnitFile add(String section, String key, String value) {
    sections.computeIfAbsent(section, n -> new ArrayList<>()).add(Map.entry(key, value));
    return this;
  }

  /**
   * Adds a section of its own (networkd's {@code [IPv6Prefix]}, say, which describes one object per
   * section), even when one of that name exists already.
   */
  public UnitFile addSection(String section, String key, String value) {
    int n = 1;
    while (sections.containsKey(section + REPEAT + n)) {
      n++;
    }
    return add(section + REPEAT + n, key, value);
  }

  public UnitFile addAll(String section, String key, List<String> values) {
    values.forEach(value -> add(section, key, value));
    return this;
  }

  /** Replaces every value of {@code key} in {@code section}, keeping the key's first position. */
  public UnitFile replace(String section, String key, List<String> values) {
    List<Map.Entry<String, String>> settings =
        sections.computeIfAbsent(section, n -> new ArrayList<>());
    int at = -1;
    for (int i = 0; i < settings.size(); i++) {
      if (settings.get(i).getKey().equals(key)) {
        at = at < 0 ? i : at;
      }
    }
    settings.removeIf(entry -> entry.getKey().equals(key));
    int insert = at < 0 ? settings.size() : at;
    for (String value : values) {
      settings.add(insert++, Map.entry(key, value));
    }
    return this;
  }

  public List<String> values(String section, String key) {
    return sections.getOrDefault(section, List.of()).stream()
        .filter(entry -> entry.getKey().equals(key))
        .map(Map.Entry::getValue)
        .toList();
  }

  public Map<String, List<Map.Entry<String, String>>> sections() {
    return Collections.unmodifiableMap(sections);
  }

  /** Every setting as {@code Section.Key} to its values in order, for comparing two files. */
  public Map<String, List<String>> settings() {
    Map<String, List<String>> out = new LinkedHashMap<>();
    sections.forEach(
        (section, entries) ->
            entries.forEach(
                entry ->
                    out.computeIfAbsent(
                            printed(section) + "." + entry.getKey(), k -> new ArrayList<>())
                        .add(entry.getValue())));
    return out;
  }

  /** The file's text; sections without settings are left out. */
  public String text() {
    StringBuilder out = new StringBuilder();
    sections.forEach(
        (section, entries) -> {
          if (entries.isEmpty()) {
            return;
          }
          if (!out.isEmpty()) {
            out.append('\n');
          }
          out.append('[').append(printed(section)).append("]\n");
          entries.forEach(
              entry ->
                  out.append(entry.getKey()).append('=').append(entry.getValue()).append('\n'));
        });
    return out.toString();
  }

  private static String printed(String section) {
    int repeat = section.indexOf(REPEAT);
    return repeat < 0 ? section : section.substring(0, repeat);
  }

  /**
   * Reads a file's settings, ignoring comments and blank lines; lines outside a section are
   * dropped.
   */
  public static UnitFile parse(String text) {
    UnitFile file = new UnitFile();
    String section = null;
    for (String raw : text.split("\n")) {
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
        continue;
      }
      if (line.startsWith("[") && line.endsWith("]")) {
        section = line.substring(1, line.length() - 1).strip();
        file.section(section);
        continue;
      }
      int equals = line.indexOf('=');
      if (section == null || equals < 0) {
        continue;
      }
      file.add(section, line.substring(0, equals).strip(), line.substring(equals + 1).strip());
    }
    return file;
  }
}
