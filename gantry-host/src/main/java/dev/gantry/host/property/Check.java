package dev.gantry.host.property;

/**
 * The verdict of checking a property: it holds, or a change is needed (a summary and,
 * for file contents, a unified diff).
 */
public sealed interface Check {
  record Holds() implements Check {}

  record Change(String summary, String diff) implements Check {
    public Change {
      diff = diff == null ? "" : diff;
    }
  }

  static Check holds() {
    return new Holds();
  }

  static Check change(String summary) {
    return new Change(summary, "");
  }

  static Check change(String summary, String diff) {
    return new Change(summary, diff);
  }

  /** Holds when {@code ok}, otherwise a change with {@code summary}. */
  static Check holdsIf(boolean ok, String summary) {
    return ok ? holds() : change(summary);
  }
}
