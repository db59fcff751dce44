package dev.gantry.host.property;

/** Thrown inside a property to fail it with a message; the property reports FAILED. */
public class PropertyFailure extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public PropertyFailure(String message) {
    super(message);
  }
}
