package dev.gantry.cloud.cli;

import dev.gantry.core.cli.DurationConverter;
import dev.gantry.cloud.digitalocean.DigitalOceanProvider;
import dev.gantry.cloud.provider.Machine;
import dev.gantry.cloud.provider.Provider;
import dev.gantry.core.infra.HostSpec;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code gantry cloud up HOST}: makes the host's machine when missing, waits for SSH, records its address. */
@Command(name = "up", mixinStandardHelpOptions = true,
    description = "Create HOST's machine as its definition says, unless it exists; wait until SSH answers; "
        + "record its address in hosts.yml.")
final class UpCommand implements Callable<Integer> {
  @ParentCommand CloudCommand cloud;

  @Parameters(paramLabel = "HOST", description = "A host of the infrastructure definition.")
  String host;

  @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "10m", converter = DurationConverter.class,
      description = "How long to wait for the machine and SSH (e.g. 90s, 10m; default ${DEFAULT-VALUE}).")
  Duration timeout;

  @Override
  public Integer call() {
    PrintStream out = cloud.environment().out();
    HostSpec spec = cloud.infrastructure().requireHost(host);
    Provider provider = cloud.providers().forHost(spec);
    Optional<Machine> existing = provider.find(host);
    Machine machine;
    if (existing.isPresent()) {
      machine = existing.get();
      out.println(host + ": " + provider.kind() + " machine exists (" + machine.id() + ", " + machine.status() + ")");
      if (provider instanceof DigitalOceanProvider d) {
        d.drift(machine).forEach(line -> out.println(host + ": differs from the definition: " + line + " (left as it is)"));
      }
    } else {
      machine = provider.create(spec, out::println);
    }
    machine = provider.awaitSsh(machine, spec.sshPort(), timeout, out::println);
    String address = machine.requireAddress();
    cloud.updateRegistry(r -> r.withMachine(host, address, provider.kind(), spec.role()));
    out.println(host + " is up at " + address + " (" + provider.kind() + "), recorded in " + cloud.registryFile());
    out.println("next: gantry host spin " + host);
    return 0;
  }
}
