package dev.gantry.cloud.digitalocean.api;

import dev.gantry.cloud.digitalocean.model.Droplet;
import java.util.List;
import java.util.Optional;

/** A droplet just created ({@code new}) and the id of its create action, to wait on. */
public record CreatedDroplet(Droplet droplet, Optional<Long> createActionId) {
  static Optional<Long> firstCreate(List<Long> ids) {
    return ids.stream().findFirst();
  }
}
