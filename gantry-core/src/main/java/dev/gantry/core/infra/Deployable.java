package dev.gantry.core.infra;

/** A system that can run on a host at a release; defined by the deployment capability. */
public interface Deployable extends Declaration {
  /** The system's name, unique in the infrastructure. */
  String name();
}
