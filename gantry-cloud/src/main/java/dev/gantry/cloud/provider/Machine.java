package dev.gantry.cloud.provider;

import java.util.Optional;

/**
 * A machine a provider made for a host: its provider's id, its address once it has one,
 * and a status in the provider's words ({@code active}, {@code running}, ...).
 */
public record Machine(String name, String provider, String id, Optional<String> address, String status) {
  /** The address, or a clear error when the machine has none yet. */
  public String requireAddress() {
    return address.orElseThrow(() -> new dev.gantry.core.UserError(
        provider + " machine '" + name + "' (" + id + ") has no address yet (status " + status + ")"));
  }
}
