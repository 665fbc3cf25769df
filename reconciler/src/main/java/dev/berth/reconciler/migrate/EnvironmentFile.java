package dev.berth.reconciler.migrate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads a file in the syntax of systemd's {@code EnvironmentFile=}, which is how {@code
 * container@.service} loads {@code /etc/nixos-containers/NAME.conf}: {@code KEY=VALUE} lines,
 * {@code #} and {@code ;} comments, values in single or double quotes (backslash escapes in double
 * quotes), a trailing backslash continuing a line. A later assignment of a key wins, as in systemd.
 */
public final class EnvironmentFile {
  private static final Pattern KEY = Pattern.compile("^[A-Za-z_][A-Za-z0-9_]*$");

  private final Map<String, ConfEntry> entries = new LinkedHashMap<>();
  private final List<Finding> findings = new ArrayList<>();

  private EnvironmentFile() {}

  /** Parses {@code text}; {@code file} names it in findings. */
  public static EnvironmentFile parse(String file, String text) {
    EnvironmentFile parsed = new EnvironmentFile();
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      int lineNumber = i + 1;
      StringBuilder logical = new StringBuilder(stripCarriageReturn(lines[i]));
      while (endsWithContinuation(logical) && i + 1 < lines.length) {
        logical.setLength(logical.length() - 1);
        logical.append(stripCarriageReturn(lines[++i]));
      }
      parsed.line(file, lineNumber, logical.toString().strip());
    }
    return parsed;
  }

  /** The assignments, in the order of their first appearance; each key's last value. */
  public Map<String, ConfEntry> entries() {
    return entries;
  }

  /** Lines that are not assignments. */
  public List<Finding> findings() {
    return findings;
  }

  private void line(String file, int lineNumber, String line) {
    if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
      return;
    }
    int equals = line.indexOf('=');
    String key = equals < 0 ? "" : line.substring(0, equals).strip();
    if (!KEY.matcher(key).matches()) {
      findings.add(new Finding(file, lineNumber, "not a KEY=VALUE assignment; ignored"));
      return;
    }
    String value = value(line.substring(equals + 1).strip());
    if (value == null) {
      findings.add(
          new Finding(file, lineNumber, key + ": the value's quote is not closed; ignored"));
      return;
    }
    ConfEntry earlier = entries.remove(key);
    if (earlier != null) {
      findings.add(
          new Finding(
              file,
              lineNumber,
              key + " is set again (first on line " + earlier.line() + "); this value counts"));
    }
    entries.put(key, new ConfEntry(key, value, lineNumber));
  }

  /** The value with its quotes resolved; null when a quote is not closed. */
  private static String value(String raw) {
    StringBuilder out = new StringBuilder();
    int i = 0;
    while (i < raw.length()) {
      char c = raw.charAt(i);
      if (c == '\'') {
        int end = raw.indexOf('\'', i + 1);
        if (end < 0) {
          return null;
        }
        out.append(raw, i + 1, end);
        i = end + 1;
      } else if (c == '"') {
        i++;
        boolean closed = false;
        while (i < raw.length()) {
          char d = raw.charAt(i);
          if (d == '\\' && i + 1 < raw.length()) {
            out.append(raw.charAt(i + 1));
            i += 2;
          } else if (d == '"') {
            closed = true;
            i++;
            break;
          } else {
            out.append(d);
            i++;
          }
        }
        if (!closed) {
          return null;
        }
      } else if (c == '\\' && i + 1 < raw.length()) {
        out.append(raw.charAt(i + 1));
        i += 2;
      } else {
        out.append(c);
        i++;
      }
    }
    return out.toString();
  }

  private static boolean endsWithContinuation(StringBuilder line) {
    return line.length() > 0 && line.charAt(line.length() - 1) == '\\';
  }

  private static String stripCarriageReturn(String line) {
    return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
  }
}
