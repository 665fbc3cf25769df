package dev.berth.reconciler.diff;

import java.util.Optional;

/**
 * One file that a pass would change on a host: its path relative to the root, its content there now
 * ({@code before}, empty when absent) and after the pass ({@code after}, empty when deleted).
 */
public record FileChange(String path, Optional<String> before, Optional<String> after) {

  /** What happens to the file. */
  public enum Kind {
    ADDED,
    MODIFIED,
    REMOVED
  }

  public FileChange {
    if (before.isEmpty() && after.isEmpty()) {
      throw new IllegalArgumentException(path + ": a change needs a before or an after");
    }
  }

  public static FileChange added(String path, String content) {
    return new FileChange(path, Optional.empty(), Optional.of(content));
  }

  public static FileChange modified(String path, String before, String after) {
    return new FileChange(path, Optional.of(before), Optional.of(after));
  }

  public static FileChange removed(String path, String content) {
    return new FileChange(path, Optional.of(content), Optional.empty());
  }

  public Kind kind() {
    if (before.isEmpty()) {
      return Kind.ADDED;
    }
    return after.isEmpty() ? Kind.REMOVED : Kind.MODIFIED;
  }
}
