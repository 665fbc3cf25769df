package dev.berth.reconciler.render;

/** systemd's unit name escaping of a path element ({@code systemd-escape}). */
final class SystemdEscape {
  private SystemdEscape() {}

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
