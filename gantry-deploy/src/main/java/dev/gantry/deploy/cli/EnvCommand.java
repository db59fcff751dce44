package dev.gantry.deploy.cli;

import dev.gantry.core.UserError;
import dev.gantry.deploy.engine.DeployEngine;
import dev.gantry.deploy.engine.DeployResult;
import dev.gantry.deploy.engine.EnvClone;
import dev.gantry.deploy.engine.HostTarget;
import dev.gantry.deploy.ledger.ReleaseRecord;
import dev.gantry.deploy.model.GantrySystem;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code gantry env clone FROM --to HOST [--system S]}: the release running on FROM, on
 * another host, with FROM's latest backup passed through each service's anonymizer.
 */
@Command(name = "env", mixinStandardHelpOptions = true, description = "Environments.", subcommands = {EnvCommand.Clone.class})
public final class EnvCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;
  final CliEnvironment env;

  public EnvCommand() {
    this(CliEnvironment.standard());
  }

  public EnvCommand(CliEnvironment env) {
    this.env = env;
  }

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return 2;
  }

  @Command(name = "clone", mixinStandardHelpOptions = true,
      description = "Run FROM's release on another host with FROM's latest backup, anonymized by each service's anonymizer.")
  static final class Clone implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;
    @picocli.CommandLine.ParentCommand EnvCommand parent;
    @Mixin CommonOptions common;

    @Parameters(index = "0", paramLabel = "FROM", description = "The host to clone") String from;

    @Option(names = "--to", required = true, paramLabel = "HOST", description = "The host to clone onto") String to;

    @Option(names = "--system", paramLabel = "SYSTEM", description = "Only this system. Default: every system FROM runs")
    String system;

    @Override
    public Integer call() throws Exception {
      PrintWriter out = spec.commandLine().getOut();
      try (DeployCli cli = new DeployCli(common, parent.env, out)) {
        HostTarget source = cli.target(from);
        HostTarget target = cli.target(to);
        DeployEngine engine = cli.engine();
        List<GantrySystem> systems = system != null ? List.of(cli.system(system))
            : cli.infra().declarations(GantrySystem.class).stream()
                .filter(s -> engine.context().ledger().current(s.name(), from).isPresent()).toList();
        if (systems.isEmpty()) {
          throw new UserError("the ledger has no system running on " + from + "; nothing to clone");
        }
        int code = 0;
        for (GantrySystem s : systems) {
          DeployResult r = new EnvClone(engine).clone(s, source, target, cli.runtime(target));
          out.println(r.summary());
          code = r.record().map(ReleaseRecord::succeeded).orElse(true) ? code : 1;
        }
        return code;
      }
    }
  }
}
