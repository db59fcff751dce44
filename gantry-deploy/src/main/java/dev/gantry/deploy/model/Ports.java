package dev.gantry.deploy.model;

import dev.gantry.core.definition.DefinitionError;

final class Ports {
  private Ports() {}

  static void check(int port, String what) {
    if (port < 1 || port > 65535) {
      throw new DefinitionError(what + " " + port + " is not in 1..65535");
    }
  }
}
