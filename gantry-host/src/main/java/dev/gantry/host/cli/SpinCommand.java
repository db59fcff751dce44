package dev.gantry.host.cli;

import dev.gantry.core.cli.DurationConverter;
import dev.gantry.core.infra.HostSelection;
import dev.gantry.core.infra.InfraRepo;
import dev.gantry.core.json.Json;
import dev.gantry.host.apply.PropertyOutcome;
import dev.gantry.host.property.Status;
import dev.gantry.host.spin.HostReport;
import dev.gantry.host.spin.SpinListener;
import dev.gantry.host.spin.SpinOptions;
import dev.gantry.host.spin.Spinner;
import dev.gantry.host.ssh.SshOptions;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code gantry host spin [HOST|PATTERN...] [--role R] [--tag T] [--all] [--dry-run]}:
 * configure hosts from the infrastructure definition over SSH.
 */
@Command(name = "spin", mixinStandardHelpOptions = true,
    description = {"Apply the hosts' properties from the infrastructure definition over SSH.",
        "Compiles infra/, commits and pushes what Gantry owns in the repository (hosts.yml, vault/, .gitignore)"
            + " and changes to tracked files, installs Gantry's runtime on each host when missing, sends the"
            + " definition and the host's secrets, and prints each property's result under its host.",
        "Choose hosts by name or glob pattern ('web*'), by role or tag declared in the definition, or all.",
        "Exit status: 0 all held or changed, 1 a host failed (or in a dry run would fail), 2 bad usage."})
public final class SpinCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Parameters(arity = "0..*", paramLabel = "HOST", description = "Hosts to spin: names from the definition, or glob"
      + " patterns such as 'web*' (quote them from the shell).")
  List<String> hosts = List.of();

  @Option(names = "--role", paramLabel = "ROLE", description = "Every host of this role (repeatable).")
  List<String> roles = List.of();

  @Option(names = "--tag", paramLabel = "TAG", description = "Every host with this tag (repeatable).")
  List<String> tags = List.of();

  @Option(names = "--all", description = "Every host of the definition.")
  boolean all;

  @Option(names = "--commit-definition", description = "Also commit new (untracked) files of the definition in infra/;"
      + " changes to tracked files are always committed.")
  boolean commitDefinition;

  @Option(names = "--dry-run", description = "Check only: show what would change (with diffs), change nothing.")
  boolean dryRun;

  @Option(names = "--parallel", paramLabel = "N", defaultValue = "8", description = "Hosts spun at once (default ${DEFAULT-VALUE}).")
  int parallel;

  @Option(names = "--infra", paramLabel = "DIR", defaultValue = ".", description = "The infrastructure repository (holds infra/ and vault/).")
  Path infra;

  @Option(names = "--accept-new-host-key", description = "Accept and record the host key of a host not in known_hosts.")
  boolean acceptNew;

  @Option(names = "--known-hosts", paramLabel = "FILE", description = "known_hosts file (default ~/.ssh/known_hosts).")
  Path knownHosts;

  @Option(names = "--connect-timeout", paramLabel = "DURATION", defaultValue = "10s", converter = DurationConverter.class,
      description = "How long connecting and logging in to a host may take (e.g. 3s, 1m). Default: ${DEFAULT-VALUE}")
  Duration connectTimeout;

  @Option(names = {"-i", "--identity"}, paramLabel = "FILE", description = "Private key to log in with (default ~/.ssh/id_*).")
  Path identity;

  @Option(names = "--secret-key", paramLabel = "FILE", description = "Exported OpenPGP secret key for the vault "
      + "(passphrase in GANTRY_VAULT_PASSPHRASE); default: gpg.")
  Path secretKey;

  @Option(names = "--lock-wait", paramLabel = "DURATION", defaultValue = "60s", converter = DurationConverter.class,
      description = "How long to wait for another run's lock on a host (e.g. 30s, 5m). Default: ${DEFAULT-VALUE}")
  Duration lockWait;

  @Option(names = "--json", description = "Print the report as JSON.")
  boolean json;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (parallel < 1) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--parallel must be at least 1, not " + parallel);
    }
    HostSelection selection = new HostSelection(hosts, roles, tags, all);
    if (selection.isEmpty()) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), "name at least one host (a name or a"
          + " pattern such as 'web*'), or choose hosts with --role ROLE, --tag TAG or --all");
    }
    try {
      SshOptions ssh = SshOptions.defaults().acceptingNewHostKey(acceptNew).withConnectTimeout(connectTimeout);
      if (knownHosts != null) {
        ssh = ssh.withKnownHosts(knownHosts);
      }
      if (identity != null) {
        ssh = ssh.withIdentity(identity);
      }
      SpinOptions o = new SpinOptions(dryRun, parallel, ssh, SpinOptions.defaultCache(),
          () -> VaultCommand.decryptor(secretKey), lockWait, commitDefinition);
      SpinListener listener = json ? SpinListener.NONE
          : new SpinPrinter(err, System.console() != null && !"dumb".equals(System.getenv("TERM")));
      Spinner.SpinReport report = Spinner.spin(infra, selection, o, listener);
      if (json) {
        out.println(Json.pretty().writeValueAsString(report));
      } else {
        print(out, report);
      }
      out.flush();
      return report.failed() ? 1 : 0;
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private void print(PrintWriter out, Spinner.SpinReport report) {
    InfraRepo.Committed repo = report.repository();
    out.println("repository: " + repo.summary());
    if (!repo.leftUntracked().isEmpty()) {
      out.println("  left alone, not committed (new files Gantry did not write): " + String.join(", ", repo.leftUntracked())
          + "\n  (`git add` them yourself; --commit-definition commits new files of infra/)");
    }
    for (String key : repo.privateKeys()) {
      out.println("  WARNING: " + key + " looks like a private key: Gantry never commits it; list it in .gitignore");
    }
    for (HostReport h : report.hosts()) {
      out.println();
      out.println("== " + h.host());
      if (h.error() != null) {
        out.println("  ERROR " + h.error().replace("\n", "\n  "));
      }
      for (PropertyOutcome o : h.outcomes()) {
        out.printf("  %-13s %s%s%n", label(o.result().status()), o.describe(),
            o.result().message().isBlank() ? "" : ": " + o.result().message());
        if (!o.result().diff().isBlank()) {
          o.result().diff().lines().forEach(l -> out.println("      " + l));
        }
      }
      if (h.error() == null || !h.outcomes().isEmpty()) {
        out.println("  " + h.summary() + " in " + String.format("%.1f s", h.millis() / 1000.0)
            + (h.runtimeUploaded() ? " (runtime installed)" : ""));
      }
    }
    if (report.hosts().size() > 1) {
      out.println();
      out.print(SpinTable.of(report.hosts()));
    }
  }

  private static String label(Status s) {
    return switch (s) {
      case NO_CHANGE -> "ok";
      case MADE_CHANGE -> "changed";
      case WOULD_CHANGE -> "would change";
      case WOULD_FAIL -> "WOULD FAIL";
      case FAILED -> "FAILED";
    };
  }
}
