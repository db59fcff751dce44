package dev.gantry.monitor.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** Prints rows as an aligned table. */
final class Output {
  private Output() {}

  /** Prints {@code items} as JSON when asked, else as a table with one row per item. */
  static void list(PrintWriter out, boolean json, JsonNode items, List<String> headers,
      Function<JsonNode, List<String>> row) {
    if (json) {
      out.println(items.toString());
      out.flush();
      return;
    }
    List<List<String>> rows = new ArrayList<>();
    items.forEach(item -> rows.add(row.apply(item)));
    table(out, headers, rows);
  }

  static void table(PrintWriter out, List<String> headers, List<List<String>> rows) {
    int[] width = new int[headers.size()];
    List<List<String>> all = new ArrayList<>();
    all.add(headers);
    all.addAll(rows);
    for (List<String> row : all) {
      for (int i = 0; i < width.length; i++) {
        width[i] = Math.max(width[i], row.get(i) == null ? 0 : row.get(i).length());
      }
    }
    for (List<String> row : all) {
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < width.length; i++) {
        String cell = row.get(i) == null ? "" : row.get(i);
        sb.append(i == width.length - 1 ? cell : String.format("%-" + width[i] + "s  ", cell));
      }
      out.println(sb.toString().stripTrailing());
    }
    out.flush();
  }

  static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? "" : v.asText();
  }
}
