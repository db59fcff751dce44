package dev.gantry.deploy.cli;

import dev.gantry.core.UserError;
import dev.gantry.core.json.Json;
import dev.gantry.deploy.engine.DeployResult;
import dev.gantry.deploy.engine.HostTarget;
import dev.gantry.deploy.model.GantrySystem;
import dev.gantry.deploy.release.Release;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/**
 * {@code gantry deploy SYSTEM --host H[,H2...] | --role R [--release TAGS] [--dry-run]}: backs
 * up, starts the release beside the old one, switches the front once it is healthy (the
 * old release keeps serving if it is not), records the release and commits the hosts
 * registry. Several hosts are deployed one at a time; the first failure stops the rest,
 * which stay on their release.
 *
 * <pre>{@code
 * gantry deploy capital --host prod.example.com --release abc123f
 * gantry deploy capital --role production
 * }</pre>
 */
@Command(name = "deploy", mixinStandardHelpOptions = true,
    description = "Deploy a system to hosts one at a time: check everything first, back up the data, start the new "
        + "release beside the old one, switch the front once it is healthy (a release that fails never gets a request), "
        + "record the release and commit hosts.yml.")
public final class DeployCommand implements Callable<Integer> {
  private final CliEnvironment env;

  @Spec picocli.CommandLine.Model.CommandSpec spec;
  @Mixin CommonOptions common;

  @Parameters(index = "0", paramLabel = "SYSTEM", description = "The system's name in the definition")
  String system;

  @Option(names = "--host", split = ",", paramLabel = "HOST",
      description = "The host's name in the definition; several, comma-separated, are deployed one at a time")
  List<String> hosts = new ArrayList<>();

  @Option(names = "--role", paramLabel = "ROLE", description = "Every host of this role that runs the system, one at a time")
  String role;

  @Option(names = "--release", paramLabel = "TAGS",
      description = "abc123f (every service), app=abc,db=def, or abc,db=def. Default: the release the definition gives each host")
  String release;

  @Option(names = "--dry-run", description = "Check everything and print the plan with file diffs; change nothing")
  boolean dryRun;

  @Option(names = "--json", description = "Print the ledger entries as JSON")
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
    if (hosts.isEmpty() == (role == null)) {
      throw new CommandLine.ParameterException(spec.commandLine(), "Give either --host HOST[,HOST...] or --role ROLE");
    }
    try (DeployCli cli = new DeployCli(common, env, out)) {
      GantrySystem s = cli.system(system);
      List<String> targets = role == null ? hosts : cli.hostsOfRole(system, role);
      List<String> done = new ArrayList<>();
      for (String host : targets) {
        String tags = release != null ? release : cli.declaredRelease(system, host).orElseThrow(() -> new UserError(
            "host " + host + " does not run system " + system + " in the definition; pass --release TAGS"));
        if (targets.size() > 1) {
          out.println(host + ":");
        }
        HostTarget target = cli.target(host);
        Release rel = Release.parse(tags, s);
        DeployResult r;
        try {
          r = dryRun ? cli.engine().plan(s, target, rel, cli.runtime(target)) : cli.engine().deploy(s, target, rel, cli.runtime(target));
        } catch (UserError e) {
          throw new UserError(stopped(host, done, targets) + e.getMessage());
        }
        if (dryRun) {
          out.print(r.plan());
          out.println(r.summary());
        } else if (json) {
          out.println(Json.writePretty(r.record().orElseThrow()));
        } else {
          out.println(r.summary());
        }
        if (!r.ok()) {
          List<String> left = targets.subList(targets.indexOf(host) + 1, targets.size());
          if (!left.isEmpty()) {
            spec.commandLine().getErr().println("gantry: stopped after " + host + " failed; " + String.join(", ", left)
                + " stay on their release" + (done.isEmpty() ? "" : "; " + String.join(", ", done) + " run the new one"));
          }
          return 1;
        }
        done.add(host);
      }
      return 0;
    }
  }

  /** Where a multi-host deploy stood when a host refused, for the error message. */
  private static String stopped(String host, List<String> done, List<String> targets) {
    if (targets.size() == 1) {
      return "";
    }
    List<String> left = targets.subList(targets.indexOf(host) + 1, targets.size());
    return "stopped at " + host + (done.isEmpty() ? "" : " (" + String.join(", ", done) + " run the new release)")
        + (left.isEmpty() ? "" : "; " + String.join(", ", left) + " not touched") + ": ";
  }
}
