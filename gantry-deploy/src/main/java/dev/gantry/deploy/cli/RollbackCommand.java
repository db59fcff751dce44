package dev.gantry.deploy.cli;

import dev.gantry.core.json.Json;
import dev.gantry.deploy.engine.DeployResult;
import dev.gantry.deploy.engine.HostTarget;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code gantry rollback SYSTEM --host H [--to RELEASE] [--accept-data-loss]}: redeploys an
 * older release when the event schema allows it, and explains when it does not.
 *
 * <pre>{@code
 * gantry rollback capital --host prod.example.com --to 9f0e1d2
 * }</pre>
 */
@Command(name = "rollback", mixinStandardHelpOptions = true,
    description = "Roll a system back to an earlier release. Same event-schema versions: redeploy the older tags. "
        + "Changed schema: refused (roll forward), unless --accept-data-loss and every event written since is harmless; "
        + "then the pre-deploy backup is restored.")
public final class RollbackCommand implements Callable<Integer> {
  private final CliEnvironment env;

  @Spec picocli.CommandLine.Model.CommandSpec spec;
  @Mixin CommonOptions common;

  @Parameters(index = "0", paramLabel = "SYSTEM") String system;

  @Option(names = "--host", required = true, paramLabel = "HOST") String host;

  @Option(names = "--to", paramLabel = "RELEASE", description = "The release to go back to. Default: the one before the current")
  String to;

  @Option(names = "--accept-data-loss",
      description = "Across a schema change, restore the pre-deploy backup if every event written since is harmless")
  boolean acceptDataLoss;

  @Option(names = "--json", description = "Print the ledger entry as JSON") boolean json;

  public RollbackCommand() {
    this(CliEnvironment.standard());
  }

  public RollbackCommand(CliEnvironment env) {
    this.env = env;
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    try (DeployCli cli = new DeployCli(common, env, out)) {
      HostTarget target = cli.target(host);
      DeployResult r = cli.engine().rollback(cli.system(system), target, to, acceptDataLoss, cli.runtime(target));
      out.println(json ? Json.writePretty(r.record().orElseThrow()) : r.summary());
      return r.ok() ? 0 : 1;
    }
  }
}
