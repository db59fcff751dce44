package dev.gantry.host.property;

import java.util.ArrayList;
import java.util.List;

/**
 * The verdict of checking a property: it holds; a change is needed (a summary, for file
 * contents a unified diff, and the {@link Effect}s it leaves for a dry run to foresee); or
 * the change would fail, found before anything is changed (a missing directory, a
 * package no source offers, an unknown owner).
 */
public sealed interface Check {
  record Holds() implements Check {}

  record Change(String summary, String diff, List<Effect> effects) implements Check {
    public Change {
      diff = diff == null ? "" : diff;
      effects = List.copyOf(effects);
    }

    public Change(String summary, String diff) {
      this(summary, diff, List.of());
    }

    /** The same change, also leaving {@code more} on the host. */
    public Change with(Effect... more) {
      List<Effect> all = new ArrayList<>(effects);
      all.addAll(List.of(more));
      return new Change(summary, diff, all);
    }
  }

  /** The change cannot be made, for {@code reason} (which names the host and what is missing). */
  record Fails(String reason) implements Check {}

  static Check holds() {
    return new Holds();
  }

  static Change change(String summary) {
    return new Change(summary, "");
  }

  static Change change(String summary, String diff) {
    return new Change(summary, diff);
  }

  static Check fails(String reason) {
    return new Fails(reason);
  }

  /** Holds when {@code ok}, otherwise a change with {@code summary}. */
  static Check holdsIf(boolean ok, String summary) {
    return ok ? holds() : change(summary);
  }
}
