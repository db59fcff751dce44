package dev.gantry.host.cli;

import dev.gantry.core.cli.ErrorHandler;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code gantry host}: host configuration as code. Registered by the CLI as a subcommand.
 *
 * <pre>{@code
 * new CommandLine(new HostCommand()).execute("spin", "ci.example.com", "--dry-run");
 * }</pre>
 */
@Command(name = "host", mixinStandardHelpOptions = true, subcommands = {SpinCommand.class, InfoCommand.class},
    description = "Configure hosts from the infrastructure definition (properties applied over SSH).")
public final class HostCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return 2;
  }

  /** Runs {@code gantry host ARGS} on its own (for scripts and tests). */
  public static void main(String[] args) {
    System.exit(ErrorHandler.install(new CommandLine(new HostCommand())).execute(args));
  }
}
