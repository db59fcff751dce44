package dev.gantry.deploy.engine;

import java.util.ArrayList;
import java.util.List;

/** A plain line diff ({@code -} removed, {@code +} added, two lines of context) for dry runs. */
final class LineDiff {
  private LineDiff() {}

  static String diff(String before, String after) {
    String[] a = before.split("\n", -1);
    String[] b = after.split("\n", -1);
    int[][] lcs = new int[a.length + 1][b.length + 1];
    for (int i = a.length - 1; i >= 0; i--) {
      for (int j = b.length - 1; j >= 0; j--) {
        lcs[i][j] = a[i].equals(b[j]) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
      }
    }
    List<String> ops = new ArrayList<>();
    int i = 0;
    int j = 0;
    while (i < a.length || j < b.length) {
      if (i < a.length && j < b.length && a[i].equals(b[j])) {
        ops.add("  " + a[i]);
        i++;
        j++;
      } else if (j < b.length && (i == a.length || lcs[i][j + 1] >= lcs[i + 1][j])) {
        ops.add("+ " + b[j++]);
      } else {
        ops.add("- " + a[i++]);
      }
    }
    StringBuilder out = new StringBuilder();
    int last = -10;
    for (int k = 0; k < ops.size(); k++) {
      if (ops.get(k).startsWith("  ")) {
        continue;
      }
      int from = Math.max(0, Math.max(k - 2, last + 1));
      if (last >= 0 && from > last + 1) {
        out.append("  ...\n");
      }
      for (int c = from; c < k; c++) {
        out.append(ops.get(c)).append('\n');
      }
      out.append(ops.get(k)).append('\n');
      last = k;
      int end = Math.min(ops.size() - 1, k + 2);
      for (int c = k + 1; c <= end && ops.get(c).startsWith("  "); c++) {
        out.append(ops.get(c)).append('\n');
        last = c;
      }
    }
    return out.toString();
  }
}
