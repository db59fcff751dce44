package dev.gantry.host.ssh;

import dev.gantry.core.infra.HostSpec;
import dev.gantry.core.infra.HostsRegistry;
import java.nio.file.Path;

/**
 * Where SSH reaches the hosts of an infra folder: the address a host's definition gives,
 * else the one {@code gantry cloud up} recorded in {@code hosts.yml}, else its name (the rule
 * is {@link HostsRegistry#addressOf}; this adds the port and user).
 *
 * <pre>{@code
 * RecordedAddresses recorded = RecordedAddresses.read(Path.of("."));
 * SshEndpoint ep = recorded.endpoint(infra.requireHost("try1"));   // root@10.213.1.2
 * }</pre>
 *
 * @param registry the infra folder's {@code hosts.yml}
 */
public record RecordedAddresses(HostsRegistry registry) {

  /** Reads {@code infraFolder/hosts.yml}; a missing file records nothing. */
  public static RecordedAddresses read(Path infraFolder) {
    return new RecordedAddresses(HostsRegistry.read(infraFolder.resolve(HostsRegistry.FILE)));
  }

  /** Where to reach {@code spec}: its own address when it gives one, else the recorded one, else its name. */
  public String addressOf(HostSpec spec) {
    return registry.addressOf(spec);
  }

  /** The SSH endpoint of {@code spec}, with {@link #addressOf} as its address. */
  public SshEndpoint endpoint(HostSpec spec) {
    return new SshEndpoint(addressOf(spec), spec.sshPort(), spec.user());
  }
}
