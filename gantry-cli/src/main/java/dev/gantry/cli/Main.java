package dev.gantry.cli;

import dev.gantry.ci.cli.AgentCommand;
import dev.gantry.ci.cli.CiCommand;
import dev.gantry.cloud.cli.CloudCommand;
import dev.gantry.core.Gantry;
import dev.gantry.host.cli.HostCommand;
import dev.gantry.host.cli.VaultCommand;
import dev.gantry.monitor.cli.MonitorCommand;
import dev.gantry.deploy.cli.BackupCommand;
import dev.gantry.deploy.cli.DeployCommand;
import dev.gantry.deploy.cli.EnvCommand;
import dev.gantry.deploy.cli.ReleasesCommand;
import dev.gantry.deploy.cli.RollbackCommand;
import dev.gantry.core.UserError;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;

/**
 * The {@code gantry} command. Exit codes: 0 success, 1 failure, 2 usage error.
 *
 * <pre>{@code
 * gantry up              # the whole system on this machine
 * gantry server --port 9000
 * gantry --version
 * }</pre>
 */
@Command(name = "gantry",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Infrastructure as Java code: gated CI, provisioning, host configuration, deployment and monitoring.",
    subcommands = {UpCommand.class, ServerCommand.class, CommandLine.HelpCommand.class})
public final class Main {
  public static final int OK = 0;
  public static final int FAILURE = 1;
  public static final int USAGE = CommandLine.ExitCode.USAGE;

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the command line and returns the exit code (used by tests). */
  public static int run(String... args) {
    return commandLine().execute(args);
  }

  /** The configured command line, with error handling that never shows a stack trace for a user mistake. */
  public static CommandLine commandLine() {
    CommandLine cmd = new CommandLine(new Main());
    // each capability brings its own commands
    cmd.addSubcommand(new HostCommand());
    cmd.addSubcommand(new VaultCommand());
    cmd.addSubcommand(new DeployCommand());
    cmd.addSubcommand(new RollbackCommand());
    cmd.addSubcommand(new BackupCommand());
    cmd.addSubcommand(new ReleasesCommand());
    cmd.addSubcommand(new EnvCommand());
    cmd.addSubcommand(new CloudCommand());
    cmd.addSubcommand(new CiCommand());
    cmd.addSubcommand(new AgentCommand());
    cmd.addSubcommand(new MonitorCommand());
    cmd.setExecutionExceptionHandler((ex, cl, parseResult) -> {
      PrintWriter err = cl.getErr();
      if (ex instanceof UserError) {
        err.println(cl.getColorScheme().errorText("gantry: " + ex.getMessage()));
      } else {
        err.println(cl.getColorScheme().errorText("gantry: internal error: " + ex));
        if (System.getenv("GANTRY_DEBUG") != null) {
          ex.printStackTrace(err);
        } else {
          err.println("(set GANTRY_DEBUG=1 to see the stack trace)");
        }
      }
      err.flush();
      return FAILURE;
    });
    return cmd;
  }

  /** {@code --version}: the Gantry version and the Java runtime it runs on. */
  static final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"gantry " + Gantry.version(),
          "java " + Runtime.version() + " (" + System.getProperty("java.home") + ")"};
    }
  }
}
