package dev.gantry.host.lib;

import dev.gantry.host.property.Info;
import dev.gantry.host.property.Property;
import dev.gantry.host.property.Props;

/**
 * Docker Engine and docker-compose from Debian's packages.
 *
 * <pre>{@code
 * Docker.installed(), Docker.composeInstalled()
 * }</pre>
 */
public final class Docker {
  private Docker() {}

  /** Docker Engine ({@code docker.io}) installed and enabled at boot. */
  public static Property installed() {
    return Props.withInfo(Props.sequence("docker engine installed",
        Apt.installed("docker.io"), Systemd.enabled("docker")), new Info.ServiceMonitored("docker"));
  }

  /** docker-compose installed. */
  public static Property composeInstalled() {
    return Apt.installed("docker-compose").describedAs("docker-compose installed");
  }
}
