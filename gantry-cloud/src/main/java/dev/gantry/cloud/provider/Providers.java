package dev.gantry.cloud.provider;

import dev.gantry.cloud.digitalocean.DigitalOceanClient;
import dev.gantry.cloud.digitalocean.DigitalOceanProvider;
import dev.gantry.cloud.lab.LabProvider;
import dev.gantry.cloud.provision.DigitalOceanProvisioning;
import dev.gantry.cloud.provision.LabProvisioning;
import dev.gantry.core.UserError;
import dev.gantry.core.infra.HostSpec;
import dev.gantry.core.infra.Provisioning;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Picks the provider for a host from its {@code provisionedBy(...)} declaration.
 *
 * <pre>{@code
 * Provider p = new Providers(dataDir, System.getenv(), clientSupplier).forHost(infra.requireHost("web1"));
 * }</pre>
 */
public final class Providers {
  private final Path dataDir;
  private final Map<String, String> env;
  private final Supplier<DigitalOceanClient> digitalOcean;

  /** {@code digitalOcean} is asked only when a DigitalOcean host is concerned, so the lab needs no token. */
  public Providers(Path dataDir, Map<String, String> env, Supplier<DigitalOceanClient> digitalOcean) {
    this.dataDir = dataDir;
    this.env = env;
    this.digitalOcean = digitalOcean;
  }

  public Provider forHost(HostSpec host) {
    Provisioning p = host.provisioning().orElseThrow(() -> new UserError("host '" + host.name()
        + "' does not say how it is provisioned: add .provisionedBy(digitalOcean().region(\"sgp1\").size(\"s-1vcpu-1gb\")"
        + ".image(\"debian-12-x64\")) or .provisionedBy(lab()) to it in infra/Infra.java "
        + "(import static dev.gantry.cloud.Cloud.*)"));
    return forProvisioning(host.name(), p);
  }

  public Provider forProvisioning(String host, Provisioning p) {
    if (p instanceof DigitalOceanProvisioning d) {
      return new DigitalOceanProvider(digitalOcean.get(), d);
    }
    if (p instanceof LabProvisioning l) {
      return new LabProvider(dataDir, l, env);
    }
    throw new UserError("host '" + host + "' is provisioned by " + p.describe() + ", which gantry cloud cannot make");
  }
}
