package dev.gantry.deploy.cli;

import dev.gantry.core.UserError;
import dev.gantry.deploy.engine.DeployEngine;
import dev.gantry.deploy.engine.DeployResult;
import dev.gantry.deploy.engine.EnvClone;
import dev.gantry.deploy.engine.HostTarget;
import dev.gantry.deploy.ledger.ReleaseRecord;
import dev.gantry.deploy.model.GantrySystem;
import dev.gantry.deploy.release.Release;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code gantry env clone FROM --to HOST [--system S] [--release TAGS]}: the release running on
 * FROM (or, with {@code --release}, that release: a candidate tried on FROM's data), on another
 * host, with FROM's latest backup passed through each service's anonymizer.
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

    @Option(names = "--release", paramLabel = "TAGS",
        description = "Run this release (abc123f, app=abc,db=def) on HOST instead of FROM's, e.g. CI's candidate; needs --system. "
            + "FROM need not be in this machine's ledger")
    String release;

    @Override
    public Integer call() throws Exception {
      PrintWriter out = spec.commandLine().getOut();
      if (release != null && system == null) {
        throw new UserError("--release names the tags of one system: give --system too");
      }
      try (DeployCli cli = new DeployCli(common, parent.env, out)) {
        HostTarget source = cli.target(from);
        HostTarget target = cli.target(to);
        DeployEngine engine = cli.engine();
        if (release != null) {
          GantrySystem s = cli.system(system);
          DeployResult r = new EnvClone(engine).cloneWith(s, source, target, cli.runtime(target), Release.parse(release, s));
          out.println(r.summary());
          return r.record().map(ReleaseRecord::succeeded).orElse(true) ? 0 : 1;
        }
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
