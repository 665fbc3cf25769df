package dev.berth.reconciler.migrate;

/**
 * The characters that end a line somewhere berth migrate writes (a YAML or Nix comment, a unit
 * file, a terminal): the C0 controls but tab, DEL, the C1 controls, and Unicode's line and
 * paragraph separators, which YAML reads as line breaks.
 */
final class OneLine {
  private OneLine() {}

  static boolean unsafe(char c) {
    return (c < 0x20 && c != '\t') || (c >= 0x7f && c <= 0x9f) || c == '\u2028' || c == '\u2029';
  }

  /** The index of the first unsafe character of {@code text}, or -1. */
  static int firstUnsafe(String text) {
    for (int i = 0; i < text.length(); i++) {
      if (unsafe(text.charAt(i))) {
        return i;
      }
    }
    return -1;
  }

  /** {@code text} with every unsafe character (and tab) written as an escape such as {@code \r}. */
  static String escaped(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      out.append(unsafe(c) || c == '\t' ? escape(c) : String.valueOf(c));
    }
    return out.toString();
  }

  /**
   * One character as an escape: {@code \r}, {@code \n}, {@code \t}, {@code \0} or {@code \\uXXXX}.
   */
  static String escape(char c) {
    return switch (c) {
      case '\r' -> "\\r";
      case '\n' -> "\\n";
      case '\t' -> "\\t";
      case '\0' -> "\\0";
      default -> String.format("\\u%04X", (int) c);
    };
  }
}
