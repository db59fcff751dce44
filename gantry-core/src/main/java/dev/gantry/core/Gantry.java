package dev.gantry.core;

/** Facts about this build of Gantry. */
public final class Gantry {
  private Gantry() {}

  /** The version from the jar manifest, or "dev" when running from classes. */
  public static String version() {
    String v = Gantry.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }
}
