package dev.gantry.deploy.generate;

/** Container and volume labels Gantry writes, so `docker ps` tells what runs. */
public final class Labels {
  private Labels() {}

  public static final String SYSTEM = "dev.gantry.system";
  public static final String RELEASE = "dev.gantry.release";
  public static final String SERVICE = "dev.gantry.service";
  public static final String VOLUME = "dev.gantry.volume";
}
