package dev.gantry.cloud;

import dev.gantry.cloud.provision.DigitalOceanProvisioning;
import dev.gantry.cloud.provision.LabProvisioning;

/**
 * How hosts are provisioned, for the infrastructure definition.
 *
 * <pre>{@code
 * import static dev.gantry.cloud.Cloud.*;
 *
 * i.host("web1").provisionedBy(digitalOcean().region("sgp1").size("s-1vcpu-1gb").image("debian-12-x64"));
 * i.host("try1").provisionedBy(lab());
 * }</pre>
 */
public final class Cloud {
  private Cloud() {}

  /** A DigitalOcean droplet; give region, size and image. */
  public static DigitalOceanProvisioning digitalOcean() {
    return DigitalOceanProvisioning.empty();
  }

  /** A lab machine on this machine: systemd booted by systemd-nspawn in a network namespace of its own. */
  public static LabProvisioning lab() {
    return LabProvisioning.defaults();
  }
}
