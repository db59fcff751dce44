package dev.gantry.host.cli;

import dev.gantry.host.apply.PropertyOutcome;
import dev.gantry.host.spin.HostReport;
import dev.gantry.host.spin.SpinListener;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Shows a spin as it goes, one line per host. On a terminal the lines are redrawn in
 * place; otherwise each phase change is printed as its own line, prefixed by the host.
 */
final class SpinPrinter implements SpinListener {
  private final PrintWriter out;
  private final boolean live;
  private final Map<String, String> lines = new LinkedHashMap<>();
  private int drawn;

  SpinPrinter(PrintWriter out, boolean live) {
    this.out = out;
    this.live = live;
  }

  @Override
  public synchronized void selected(List<String> hosts) {
    for (String h : hosts) {
      lines.put(h, "waiting");
    }
  }

  @Override
  public synchronized void phase(String host, String phase) {
    lines.put(host, phase);
    if (live) {
      redraw();
    } else if (!phase.matches("\\d+/\\d+ properties")) {
      out.println("[" + host + "] " + phase);
      out.flush();
    }
  }

  @Override
  public synchronized void result(String host, PropertyOutcome o) {
    if (!live && o.result().failed()) {
      out.println("[" + host + "] FAILED " + o.describe() + ": " + o.result().message());
      out.flush();
    }
  }

  @Override
  public synchronized void finished(HostReport r) {
    lines.put(r.host(), r.error() != null ? "ERROR" : "done: " + r.summary());
    if (live) {
      redraw();
    } else {
      out.println("[" + r.host() + "] " + (r.error() != null ? "error" : "done: " + r.summary()));
      out.flush();
    }
  }

  private void redraw() {
    StringBuilder sb = new StringBuilder();
    if (drawn > 0) {
      sb.append("\033[").append(drawn).append('A');
    }
    List<String> rows = new ArrayList<>();
    lines.forEach((h, p) -> rows.add(h + ": " + p));
    for (String row : rows) {
      sb.append("\r\033[2K").append(row).append('\n');
    }
    drawn = rows.size();
    out.print(sb);
    out.flush();
  }
}
