package dev.berth.agent.cli;

/**
 * Whether the CLI's output may be coloured: only on a terminal, and never when {@code NO_COLOR} is
 * set to anything but the empty string (no-color.org).
 */
final class Colours {
  private Colours() {}

  /** For this process: its standard streams are a terminal, and its environment. */
  static boolean enabled() {
    return enabled(System.console() != null, System.getenv("NO_COLOR"));
  }

  static boolean enabled(boolean terminal, String noColor) {
    return terminal && (noColor == null || noColor.isEmpty());
  }
}
