package dev.gantry.host.property;

/**
 * A property that can be undone: {@code revert()} is the property that removes what this
 * one ensures (and reverting that gives this one back).
 *
 * <pre>{@code
 * Revertable git = Apt.installed("git");
 * i.host("old.example.com").with(git.revert());   // git removed
 * }</pre>
 */
public interface Revertable extends Property {
  Property revert();
}
