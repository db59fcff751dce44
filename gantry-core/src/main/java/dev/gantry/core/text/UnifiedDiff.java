package dev.gantry.core.text;

import java.util.ArrayList;
import java.util.List;

/**
 * Unified diffs of text files, as {@code diff -u} prints them (three lines of context), so
 * a dry run can show exactly what would be written (a host's file, a system's compose
 * file); {@code patch} applies them. New and deleted files diff against {@code /dev/null}.
 * The edit table is bounded: past {@value #MAX_CELLS} cells the changed middle is shown as
 * removed and added whole.
 *
 * <pre>{@code
 * String d = UnifiedDiff.of("/etc/motd", "old\n", "new\n");
 * String gone = UnifiedDiff.deleted("/etc/motd", "old\n");
 * }</pre>
 */
public final class UnifiedDiff {
  private static final int CONTEXT = 3;
  private static final long MAX_CELLS = 16_000_000L;

  private UnifiedDiff() {}

  private enum Op { KEEP, DEL, ADD }

  private record Edit(Op op, int a, int b) {}

  /** The diff that deletes the file at {@code path} holding {@code before}. */
  public static String deleted(String path, String before) {
    return before.isEmpty() ? "" : render(path, before, "", false, true);
  }

  /** The diff from {@code before} to {@code after} (empty when equal); null before means a new file. */
  public static String of(String path, String before, String after) {
    return render(path, before == null ? "" : before, after, before == null, false);
  }

  private static String render(String path, String before, String after, boolean created, boolean deleted) {
    String old = before;
    if (old.equals(after) && !deleted) {
      return "";
    }
    List<String> a = lines(old);
    List<String> b = lines(after);
    List<Edit> edits = edits(a, b);
    StringBuilder out = new StringBuilder();
    out.append("--- ").append(created ? "/dev/null" : "a" + path).append('\n');
    out.append("+++ ").append(deleted ? "/dev/null" : "b" + path).append('\n');
    int i = 0;
    while (i < edits.size()) {
      if (edits.get(i).op() == Op.KEEP) {
        i++;
        continue;
      }
      int start = Math.max(0, i - CONTEXT);
      int end = i;
      int lastChange = i;
      while (end < edits.size()) {
        if (edits.get(end).op() != Op.KEEP) {
          lastChange = end;
        } else if (end - lastChange > 2 * CONTEXT) {
          break;
        }
        end++;
      }
      end = Math.min(edits.size(), lastChange + CONTEXT + 1);
      hunk(out, edits.subList(start, end), a, b);
      i = end;
    }
    return out.toString();
  }

  private static void hunk(StringBuilder out, List<Edit> h, List<String> a, List<String> b) {
    int aStart = -1;
    int bStart = -1;
    int aLen = 0;
    int bLen = 0;
    for (Edit e : h) {
      if (e.op() != Op.ADD) {
        if (aStart < 0) {
          aStart = e.a();
        }
        aLen++;
      }
      if (e.op() != Op.DEL) {
        if (bStart < 0) {
          bStart = e.b();
        }
        bLen++;
      }
    }
    // an empty side is numbered by the line before it, as diff -u does
    int aFirst = aLen == 0 ? firstIndex(h, true) : aStart + 1;
    int bFirst = bLen == 0 ? firstIndex(h, false) : bStart + 1;
    out.append("@@ -").append(range(aFirst, aLen)).append(" +").append(range(bFirst, bLen)).append(" @@\n");
    for (Edit e : h) {
      String line = switch (e.op()) {
        case KEEP -> " " + a.get(e.a());
        case DEL -> "-" + a.get(e.a());
        case ADD -> "+" + b.get(e.b());
      };
      out.append(line);
      if (!line.endsWith("\n")) {
        out.append("\n\\ No newline at end of file\n");
      }
    }
  }

  private static int firstIndex(List<Edit> h, boolean sideA) {
    Edit first = h.get(0);
    return sideA ? first.a() : first.b();
  }

  private static String range(int first, int len) {
    return len == 1 ? Integer.toString(first) : first + "," + len;
  }

  /** Lines with their newline kept, so a missing final newline shows. */
  private static List<String> lines(String s) {
    List<String> out = new ArrayList<>();
    int from = 0;
    while (from < s.length()) {
      int nl = s.indexOf('\n', from);
      int to = nl < 0 ? s.length() : nl + 1;
      out.add(s.substring(from, to));
      from = to;
    }
    return out;
  }

  private static List<Edit> edits(List<String> a, List<String> b) {
    int pre = 0;
    while (pre < a.size() && pre < b.size() && a.get(pre).equals(b.get(pre))) {
      pre++;
    }
    int suf = 0;
    while (suf < a.size() - pre && suf < b.size() - pre
        && a.get(a.size() - 1 - suf).equals(b.get(b.size() - 1 - suf))) {
      suf++;
    }
    List<Edit> out = new ArrayList<>();
    for (int i = 0; i < pre; i++) {
      out.add(new Edit(Op.KEEP, i, i));
    }
    int n = a.size() - pre - suf;
    int m = b.size() - pre - suf;
    if ((long) n * m > MAX_CELLS) {
      for (int i = 0; i < n; i++) {
        out.add(new Edit(Op.DEL, pre + i, pre));
      }
      for (int j = 0; j < m; j++) {
        out.add(new Edit(Op.ADD, pre + n, pre + j));
      }
    } else {
      int[][] lcs = new int[n + 1][m + 1];
      for (int i = n - 1; i >= 0; i--) {
        for (int j = m - 1; j >= 0; j--) {
          lcs[i][j] = a.get(pre + i).equals(b.get(pre + j)) ? lcs[i + 1][j + 1] + 1
              : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
        }
      }
      int i = 0;
      int j = 0;
      while (i < n || j < m) {
        if (i < n && j < m && a.get(pre + i).equals(b.get(pre + j))) {
          out.add(new Edit(Op.KEEP, pre + i, pre + j));
          i++;
          j++;
        } else if (j < m && (i == n || lcs[i][j + 1] > lcs[i + 1][j])) {
          out.add(new Edit(Op.ADD, pre + i, pre + j));
          j++;
        } else {
          out.add(new Edit(Op.DEL, pre + i, pre + j));
          i++;
        }
      }
    }
    for (int k = 0; k < suf; k++) {
      out.add(new Edit(Op.KEEP, a.size() - suf + k, b.size() - suf + k));
    }
    return out;
  }
}
