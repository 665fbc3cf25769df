package dev.berth.agent.http;

/**
 * Escapes text for HTML, in element content and in quoted attribute values alike: every value the
 * status page shows goes through {@link #escape}, since a container's message or a file name in Git
 * may hold markup.
 */
final class Html {
  private Html() {}

  /** {@code text} with {@code & < > " '} as character references; null is the empty string. */
  static String escape(String text) {
    if (text == null) {
      return "";
    }
    StringBuilder out = null;
    for (int i = 0; i < text.length(); i++) {
      String reference =
          switch (text.charAt(i)) {
            case '&' -> "&amp;";
            case '<' -> "&lt;";
            case '>' -> "&gt;";
            case '"' -> "&quot;";
            case '\'' -> "&#39;";
            default -> null;
          };
      if (reference != null && out == null) {
        out = new StringBuilder(text.length() + 16).append(text, 0, i);
      }
      if (out != null) {
        if (reference != null) {
          out.append(reference);
        } else {
          out.append(text.charAt(i));
        }
      }
    }
    return out == null ? text : out.toString();
  }
}
