package dev.berth.agent.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** A table of text for a terminal: columns padded to their widest cell, two spaces apart. */
final class TextTable {
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

  void print(PrintWriter out) {
    int[] widths = new int[rows.get(0).length];
    for (String[] line : rows) {
      for (int i = 0; i < line.length; i++) {
        widths[i] = Math.max(widths[i], line[i].length());
      }
    }
    for (String[] line : rows) {
      StringBuilder text = new StringBuilder();
      for (int i = 0; i < line.length; i++) {
        text.append(line[i]);
        if (i < line.length - 1) {
          text.append(" ".repeat(widths[i] + 2 - line[i].length()));
        }
      }
      out.println(text.toString().stripTrailing());
    }
  }
}
