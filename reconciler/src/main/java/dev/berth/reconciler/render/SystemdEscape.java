package dev.berth.reconciler.render;

/**
 * The escapes that make systemd read a value as it was written: of a unit name's path element
 * ({@code systemd-escape}), of a word of a command line, and of a path in nspawn's {@code Bind=}.
 */
final class SystemdEscape {
  private SystemdEscape() {}

  /**
   * A word of {@code ExecStart=}: systemd expands {@code %} specifiers and {@code $} variables
   * there, so both are doubled, and it splits at white space and unquotes and unescapes, so a word
   * with a quote, a backslash or white space is put in double quotes with its {@code \} and {@code
   * "} escaped (which also keeps a trailing backslash from continuing the line).
   */
  static String execArgument(String word) {
    String literal = word.replace("%", "%%").replace("$", "$$");
    boolean plain =
        literal
            .chars()
            .noneMatch(c -> c == '"' || c == '\'' || c == '\\' || Character.isWhitespace(c));
    return plain ? literal : '"' + literal.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
  }

  /**
   * A value of a setting that expands {@code %} specifiers but no variables, such as {@code
   * LoadCredentialEncrypted=}'s path: a {@code %} is doubled.
   */
  static String specifiers(String value) {
    return value.replace("%", "%%");
  }

  /**
   * A path in nspawn's {@code Bind=} and {@code BindReadOnly=}, which interpret backslash escapes
   * ({@code \:} for a colon): a backslash is doubled, so that it stays one and cannot continue the
   * line. nspawn expands no specifiers or variables there.
   */
  static String bindPath(String path) {
    return path.replace("\\", "\\\\");
  }

  /** A unit name's path element, as {@code systemd-escape} writes it. */
  static String escape(String text) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean plain =
          Character.isLetterOrDigit(c) && c < 0x80 || c == ':' || c == '_' || (c == '.' && i > 0);
      if (c == '/') {
        out.append('-');
      } else if (plain) {
        out.append(c);
      } else {
        out.append(String.format("\\x%02x", (int) c));
      }
    }
    return out.toString();
  }
}
