package dev.berth.agent.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** A table of text for a terminal: columns padded to their widest cell, two spaces apart. */
final class TextTable {
  /** How a cell is shown: the same text, or it wrapped in a terminal's colour codes. */
  @FunctionalInterface
  interface CellStyle {
    CellStyle PLAIN = (column, cell) -> cell;

    /** The cell of {@code column} (0 is the first) as printed; never called for the header. */
    String apply(int column, String cell);
  }

  /** A message longer than this is cut to it (with {@code ...}) so a row keeps to one line. */
  static final int MAX_MESSAGE = 100;

  private final List<String[]> rows = new ArrayList<>();

  TextTable(String... header) {
    rows.add(header);
  }

  TextTable row(String... cells) {
    rows.add(cells);
    return this;
  }

  /** A commit as a table shows it: its first 12 characters, {@code -} for none. */
  static String revision(String revision) {
    return revision == null || revision.isEmpty()
        ? "-"
        : revision.substring(0, Math.min(12, revision.length()));
  }

  /** A message on one line: its white space collapsed, cut at {@link #MAX_MESSAGE}. */
  static String oneLine(String message) {
    String line = message.strip().replaceAll("\\s+", " ");
    return line.length() > MAX_MESSAGE ? line.substring(0, MAX_MESSAGE - 3) + "..." : line;
  }

  void print(PrintWriter out) {
    print(out, CellStyle.PLAIN);
  }

  /** Prints the table; the padding is measured on the plain text, before {@code style}. */
  void print(PrintWriter out, CellStyle style) {
    int[] widths = new int[rows.get(0).length];
    for (String[] line : rows) {
      for (int i = 0; i < line.length; i++) {
        widths[i] = Math.max(widths[i], line[i].length());
      }
    }
    for (int row = 0; row < rows.size(); row++) {
      String[] line = rows.get(row);
      StringBuilder text = new StringBuilder();
      for (int i = 0; i < line.length; i++) {
        text.append(row == 0 ? line[i] : style.apply(i, line[i]));
        if (i < line.length - 1) {
          text.append(" ".repeat(widths[i] + 2 - line[i].length()));
        }
      }
      out.println(text.toString().stripTrailing());
    }
  }
}
