package dev.gantry.core.definition;

/** What the test definitions implement. */
public interface Greeter {
  String greet(String name);
}
