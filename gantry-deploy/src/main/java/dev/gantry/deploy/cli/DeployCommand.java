package dev.gantry.deploy.cli;

import dev.gantry.core.UserError;
import dev.gantry.deploy.engine.DeployResult;
import dev.gantry.deploy.engine.HostTarget;
import dev.gantry.deploy.model.GantrySystem;
import dev.gantry.deploy.release.Release;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code gantry deploy SYSTEM --host H [--release TAGS] [--dry-run]}: backs up, deploys with
 * health-gated start and automatic rollback, records the release and commits the hosts registry.
 *
 * <pre>{@code
 * gantry deploy capital --host prod.example.com --release abc123f
 * }</pre>
 */
@Command(name = "deploy", mixinStandardHelpOptions = true,
    description = "Deploy a system to a host: lock, back up the data, write compose/nginx/systemd files, start, wait "
        + "for health, roll back automatically on failure, record the release and commit hosts.yml.")
public final class DeployCommand implements Callable<Integer> {
  private final CliEnvironment env;

  @Spec picocli.CommandLine.Model.CommandSpec spec;
  @Mixin CommonOptions common;

  @Parameters(index = "0", paramLabel = "SYSTEM", description = "The system's name in the definition")
  String system;

  @Option(names = "--host", required = true, paramLabel = "HOST", description = "The host's name in the definition")
  String host;

  @Option(names = "--release", paramLabel = "TAGS",
      description = "abc123f (every service), app=abc,db=def, or abc,db=def. Default: the release the definition gives the host")
  String release;

  @Option(names = "--dry-run", description = "Check everything and print the plan with file diffs; change nothing")
  boolean dryRun;

  @Option(names = "--json", description = "Print the ledger entry as JSON")
  boolean json;

  public DeployCommand() {
    this(CliEnvironment.standard());
  }

  public DeployCommand(CliEnvironment env) {
    this.env = env;
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    return DeployCli.guarded(spec.commandLine().getErr(), () -> {
      try (DeployCli cli = new DeployCli(common, env, out)) {
        GantrySystem s = cli.system(system);
        String tags = release != null ? release : cli.declaredRelease(system, host).orElseThrow(() -> new UserError(
            "host " + host + " does not run system " + system + " in the definition; pass --release TAGS"));
        HostTarget target = cli.target(host);
        DeployResult r = cli.engine().deploy(s, target, Release.parse(tags, s), cli.runtime(target), dryRun);
        if (dryRun) {
          out.print(r.plan());
          out.println(r.summary());
        } else if (json) {
          out.println(Json.of(r.record().orElseThrow()));
        } else {
          out.println(r.summary());
        }
        return r.ok() ? 0 : 1;
      }
    });
  }
}
