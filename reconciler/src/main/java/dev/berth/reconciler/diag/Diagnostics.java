package dev.berth.reconciler.diag;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Collects the findings of one run, errors and warnings, in the order they were found. */
public final class Diagnostics {
  private final List<Diagnostic> all = new ArrayList<>();

  public void add(Diagnostic diagnostic) {
    all.add(diagnostic);
  }

  public void error(String file, Mark mark, String message) {
    add(Diagnostic.error(file, mark, message));
  }

  public void warning(String file, Mark mark, String message) {
    add(Diagnostic.warning(file, mark, message));
  }

  public boolean hasErrors() {
    return all.stream().anyMatch(Diagnostic::isError);
  }

  public long errorCount() {
    return all.stream().filter(Diagnostic::isError).count();
  }

  public long warningCount() {
    return all.size() - errorCount();
  }

  /** Every finding, sorted by file, line and column, each once. */
  public List<Diagnostic> sorted() {
    List<Diagnostic> copy = new ArrayList<>(all.stream().distinct().toList());
    copy.sort(Diagnostic.BY_LOCATION);
    return Collections.unmodifiableList(copy);
  }
}
