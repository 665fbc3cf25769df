package dev.berth.reconciler.diag;

import java.util.Comparator;

/** One finding about a manifest, located at a file, line and column (1-based; 0 when unknown). */
public record Diagnostic(Severity severity, String file, int line, int column, String message) {

  public static final Comparator<Diagnostic> BY_LOCATION =
      Comparator.comparing(Diagnostic::file)
          .thenComparingInt(Diagnostic::line)
          .thenComparingInt(Diagnostic::column)
          .thenComparing(Diagnostic::message);

  /** Messages quote values from manifests: their line breaks and controls are shown escaped. */
  public Diagnostic {
    message = escapeControls(message);
  }

  public static Diagnostic error(String file, Mark mark, String message) {
    return new Diagnostic(Severity.ERROR, file, mark.line(), mark.column(), message);
  }

  public static Diagnostic warning(String file, Mark mark, String message) {
    return new Diagnostic(Severity.WARNING, file, mark.line(), mark.column(), message);
  }

  public boolean isError() {
    return severity == Severity.ERROR;
  }

  /** The form users see: {@code FILE:LINE:COL: message}, warnings marked as such. */
  public String format() {
    String prefix = file + ":" + line + ":" + column + ": ";
    return severity == Severity.WARNING ? prefix + "warning: " + message : prefix + message;
  }

  private static String escapeControls(String text) {
    if (text == null || text.chars().noneMatch(Diagnostic::isControl)) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (isControl(c)) {
            out.append(String.format("\\u%04X", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.toString();
  }

  private static boolean isControl(int c) {
    return c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == 0x2028 || c == 0x2029;
  }

  @Override
  public String toString() {
    return format();
  }
}
