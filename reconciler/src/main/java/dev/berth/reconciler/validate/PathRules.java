package dev.berth.reconciler.validate;

/** Checks of paths written in manifests; each returns a reason, or null when the path is fine. */
final class PathRules {
  private PathRules() {}

  /** An absolute host or container path that can be written into a unit file as it is. */
  static String absolute(String path) {
    if (path == null || path.isEmpty()) {
      return "must not be empty";
    }
    if (!path.startsWith("/")) {
      return "must be an absolute path";
    }
    String plain = plain(path);
    if (plain != null) {
      return plain;
    }
    if (path.indexOf(':') >= 0) {
      return "must not contain ':' (nspawn separates bind paths with it)";
    }
    return null;
  }

  /** A path inside the repository, relative to its root. */
  static String relative(String path) {
    if (path == null || path.isEmpty()) {
      return "must not be empty";
    }
    if (path.startsWith("/")) {
      return "must be relative to the repository root, not absolute";
    }
    return plain(path);
  }

  private static String plain(String path) {
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      if (c < 0x20 || c == 0x7f || Character.isWhitespace(c)) {
        return "must not contain white space or control characters";
      }
    }
    for (String segment : path.split("/", -1)) {
      if (segment.equals("..")) {
        return "must not contain '..'";
      }
    }
    return null;
  }
}
