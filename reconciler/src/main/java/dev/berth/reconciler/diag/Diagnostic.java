package dev.berth.reconciler.diag;

import java.util.Comparator;

/** One finding about a manifest, located at a file, line and column (1-based; 0 when unknown). */
public record Diagnostic(Severity severity, String file, int line, int column, String message) {

  public static final Comparator<Diagnostic> BY_LOCATION =
      Comparator.comparing(Diagnostic::file)
          .thenComparingInt(Diagnostic::line)
          .thenComparingInt(Diagnostic::column)
          .thenComparing(Diagnostic::message);

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

  @Override
  public String toString() {
    return format();
  }
}
