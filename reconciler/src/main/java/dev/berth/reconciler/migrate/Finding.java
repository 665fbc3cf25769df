package dev.berth.reconciler.migrate;

/**
 * Something {@code berth migrate} could not carry over as it was, at the line of the old
 * configuration that said it ({@code line} 0: the file as a whole).
 */
public record Finding(String file, int line, String message) {

  @Override
  public String toString() {
    // A file name or a value quoted in the message must not end the line it is printed on.
    String where = OneLine.escaped(file);
    String what = OneLine.escaped(message);
    return line > 0 ? where + ":" + line + ": " + what : where + ": " + what;
  }
}
