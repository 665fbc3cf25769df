package dev.berth.reconciler.migrate;

/**
 * Something {@code berth migrate} could not carry over as it was, at the line of the old
 * configuration that said it ({@code line} 0: the file as a whole).
 */
public record Finding(String file, int line, String message) {

  @Override
  public String toString() {
    return line > 0 ? file + ":" + line + ": " + message : file + ": " + message;
  }
}
