package dev.gantry.cloud.cli;

import dev.gantry.cloud.provider.Machine;
import dev.gantry.cloud.provider.Provider;
import dev.gantry.core.UserError;
import java.io.IOException;
import java.io.PrintStream;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code gantry cloud down HOST}: destroys the host's machine after confirmation. */
@Command(name = "down", mixinStandardHelpOptions = true,
    description = "Destroy HOST's machine (asks to type the host name, unless --yes).")
final class DownCommand implements Callable<Integer> {
  @ParentCommand CloudCommand cloud;

  @Parameters(paramLabel = "HOST", description = "A host of the infrastructure definition.")
  String host;

  @Option(names = {"-y", "--yes"}, description = "Do not ask for confirmation.")
  boolean yes;

  @Override
  public Integer call() throws IOException {
    PrintStream out = cloud.environment().out();
    Provider provider = cloud.providers().forHost(cloud.infrastructure().requireHost(host));
    Optional<Machine> machine = provider.find(host);
    if (machine.isEmpty()) {
      cloud.updateRegistry(r -> r.withoutMachine(host));
      out.println(host + ": no " + provider.kind() + " machine exists; nothing to destroy");
      return 0;
    }
    Machine m = machine.get();
    if (!yes) {
      out.print("Destroy " + provider.kind() + " machine '" + host + "' (" + m.id() + ", "
          + m.address().orElse("no address") + ")? Everything on it is lost. Type the host name to confirm: ");
      out.flush();
      String answer = cloud.environment().in().readLine();
      if (answer == null) {
        throw new UserError("not destroying '" + host + "': no confirmation could be read; pass --yes to confirm");
      }
      if (!answer.strip().equals(host)) {
        cloud.environment().err().println("not destroyed: '" + answer.strip() + "' is not '" + host + "'");
        return 1;
      }
    }
    provider.destroy(host, out::println);
    cloud.updateRegistry(r -> r.withoutMachine(host));
    out.println(host + ": destroyed");
    return 0;
  }
}
