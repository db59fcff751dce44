package dev.gantry.deploy.generate;

/**
 * Container and volume labels Gantry writes, so `docker ps` tells what runs. None of them
 * names the release: a label that changed with every release would make compose recreate
 * containers whose specification did not change.
 */
public final class Labels {
  private Labels() {}

  public static final String SYSTEM = "dev.gantry.system";
  public static final String SERVICE = "dev.gantry.service";
  public static final String VOLUME = "dev.gantry.volume";
}
