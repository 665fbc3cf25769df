package dev.berth.reconciler.diag;

/** A position in a source file, 1-based; {@link #UNKNOWN} where there is none. */
public record Mark(int line, int column) {
  public static final Mark UNKNOWN = new Mark(0, 0);
  public static final Mark START = new Mark(1, 1);
}
