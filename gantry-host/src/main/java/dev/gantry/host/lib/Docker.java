package dev.gantry.host.lib;

import dev.gantry.host.property.Info;
import dev.gantry.host.property.Property;
import dev.gantry.host.property.Props;

/**
 * Docker Engine and docker-compose from Debian's packages.
 *
 * <pre>{@code
 * Docker.installed(), Docker.composeInstalled()
 * Docker.running()   // on a booted host: a droplet, a lab machine
 * }</pre>
 */
public final class Docker {
  private Docker() {}

  /** Docker Engine ({@code docker.io}) installed and enabled at boot. */
  public static Property installed() {
    return Props.withInfo(Props.sequence("docker engine installed",
        Apt.installed("docker.io"), Systemd.enabled("docker")), new Info.ServiceMonitored("docker"));
  }

  /**
   * Docker Engine installed, enabled and running now. Starting needs a running systemd, so on a
   * root filesystem being prepared use {@link #installed()}.
   */
  public static Property running() {
    return Props.sequence("docker engine running", installed(), Systemd.started("docker"));
  }

  /** docker-compose installed. */
  public static Property composeInstalled() {
    return Apt.installed("docker-compose").describedAs("docker-compose installed");
  }
}
