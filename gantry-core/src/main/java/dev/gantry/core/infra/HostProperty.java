package dev.gantry.core.infra;

/**
 * A property a host must have; the host-configuration capability defines the real
 * interface (describe, check, ensure) and its library. The definition model only holds
 * them in order.
 */
public interface HostProperty {
  /** One line saying what the property ensures, e.g. {@code "docker installed"}. */
  String describe();
}
