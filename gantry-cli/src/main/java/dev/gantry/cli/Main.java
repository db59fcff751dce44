package dev.gantry.cli;

import dev.gantry.ci.cli.AgentCommand;
import dev.gantry.ci.cli.CiCommand;
import dev.gantry.cloud.cli.CloudCommand;
import dev.gantry.core.Gantry;
import dev.gantry.host.cli.CaCommand;
import dev.gantry.host.cli.HostCommand;
import dev.gantry.host.cli.VaultCommand;
import dev.gantry.deploy.cli.BackupCommand;
import dev.gantry.deploy.cli.DeployCommand;
import dev.gantry.deploy.cli.EnvCommand;
import dev.gantry.deploy.cli.ReleasesCommand;
import dev.gantry.deploy.cli.RollbackCommand;
import dev.gantry.core.cli.ErrorHandler;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
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
    subcommands = {UpCommand.class, ServerCommand.class, StartupTraining.class, CommandLine.HelpCommand.class})
public final class Main {
  public static final int OK = 0;
  public static final int FAILURE = 1;
  public static final int USAGE = CommandLine.ExitCode.USAGE;

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the command line and returns the exit code (used by tests). */
  public static int run(String... args) {
    return commandLine(args.length == 0 ? "" : args[0]).execute(args);
  }

  /**
   * Each capability's commands, by name. Building a command reads its annotations (hundreds of
   * options in all); a fresh JVM per command makes that a third of a second, so {@link
   * #commandLine(String)} builds only the one a command line names.
   */
  private static final Map<String, Supplier<Object>> CAPABILITIES = capabilities();

  private static Map<String, Supplier<Object>> capabilities() {
    Map<String, Supplier<Object>> c = new LinkedHashMap<>();
    c.put("host", HostCommand::new);
    c.put("vault", VaultCommand::new);
    c.put("ca", CaCommand::new);
    c.put("deploy", DeployCommand::new);
    c.put("rollback", RollbackCommand::new);
    c.put("backup", BackupCommand::new);
    c.put("releases", ReleasesCommand::new);
    c.put("env", EnvCommand::new);
    c.put("cloud", CloudCommand::new);
    c.put("ci", CiCommand::new);
    c.put("agent", AgentCommand::new);
    c.put("monitor", MonitorCommand::new);
    return Collections.unmodifiableMap(c);
  }

  /** The configured command line with every command, and error handling that never shows a stack trace for a user mistake. */
  public static CommandLine commandLine() {
    return commandLine("");
  }

  /**
   * The command line for arguments that start with {@code first}: only that capability's
   * commands when it names one, none for {@code --version}, every command otherwise (help, an
   * unknown word, no argument).
   */
  static CommandLine commandLine(String first) {
    CommandLine cmd = new CommandLine(new Main());
    Supplier<Object> named = CAPABILITIES.get(first);
    if (named != null) {
      cmd.addSubcommand(named.get());
    } else if (!first.equals("--version") && !first.equals("-V")) {
      CAPABILITIES.values().forEach(c -> cmd.addSubcommand(c.get()));
    }
    ErrorHandler.install(cmd);
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
