package dev.gantry.core.infra;

import java.util.Optional;

/** A system that can run on a host at a release; defined by the deployment capability. */
public interface Deployable extends Declaration {
  /** The system's name, unique in the infrastructure. */
  String name();

  @Override
  default Optional<String> uniqueName() {
    return Optional.of(name());
  }

  @Override
  default String kind() {
    return "system";
  }
}
