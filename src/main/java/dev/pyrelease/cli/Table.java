package dev.pyrelease.cli;

import java.util.List;

/** Columns as kubectl prints them: left-aligned, two spaces apart, the last one unpadded. */
final class Table {
  private Table() {}

  /** The rows (the first is the header), one line each. */
  static String render(List<String[]> rows) {
    int columns = rows.get(0).length;
    int[] width = new int[columns];
    for (String[] row : rows) {
      for (int i = 0; i < columns; i++) {
        width[i] = Math.max(width[i], row[i].length());
      }
    }
    StringBuilder b = new StringBuilder();
    for (String[] row : rows) {
      for (int i = 0; i < columns; i++) {
        b.append(i == columns - 1 ? row[i] : String.format("%-" + width[i] + "s  ", row[i]));
      }
      b.append('\n');
    }
    return b.toString();
  }
}
