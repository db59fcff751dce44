package dev.gantry.deploy.cli;

import dev.gantry.core.json.Json;
import dev.gantry.deploy.backup.Backup;
import dev.gantry.deploy.backup.BackupStore;
import dev.gantry.deploy.backup.Verification;
import dev.gantry.deploy.engine.DeployEngine;
import dev.gantry.deploy.engine.HostTarget;
import dev.gantry.deploy.model.GantrySystem;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code gantry backup create|list|verify|restore}: full backups of a system's data volumes
 * on its host (archive plus SHA-256 manifest), copied to S3 when configured.
 *
 * <pre>{@code
 * gantry backup create capital --host prod.example.com
 * gantry backup verify capital --host prod.example.com 20250524T101500Z-3f9a
 * }</pre>
 */
@Command(name = "backup", mixinStandardHelpOptions = true, description = "Back up, list, verify and restore a system's data volumes.",
    subcommands = {BackupCommand.Create.class, BackupCommand.ListBackups.class, BackupCommand.Verify.class, BackupCommand.Restore.class})
public final class BackupCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;
  final CliEnvironment env;

  public BackupCommand() {
    this(CliEnvironment.standard());
  }

  public BackupCommand(CliEnvironment env) {
    this.env = env;
  }

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return 2;
  }

  /** Arguments every backup subcommand takes. */
  abstract static class Sub implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;
    @picocli.CommandLine.ParentCommand BackupCommand parent;
    @Mixin CommonOptions common;

    @Parameters(index = "0", paramLabel = "SYSTEM") String system;

    @Option(names = "--host", required = true, paramLabel = "HOST") String host;

    @Override
    public Integer call() throws Exception {
      PrintWriter out = spec.commandLine().getOut();
      try (DeployCli cli = new DeployCli(common, parent.env, out)) {
        GantrySystem s = cli.system(system);
        HostTarget target = cli.target(host);
        return run(cli, cli.engine(), s, target, out);
      }
    }

    abstract int run(DeployCli cli, DeployEngine engine, GantrySystem s, HostTarget target, PrintWriter out) throws Exception;
  }

  @Command(name = "create", mixinStandardHelpOptions = true, description = "Back up every data volume now (then prune to --keep-backups).")
  static final class Create extends Sub {
    @Option(names = "--json") boolean json;

    @Override
    int run(DeployCli cli, DeployEngine engine, GantrySystem s, HostTarget target, PrintWriter out) {
      Backup b = engine.backupNow(s, target);
      out.println(json ? Json.writePretty(b) : "backup " + b.id() + ": " + b.archives().size() + " archive(s), " + b.totalBytes() + " bytes");
      return 0;
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List the backups on the host, newest first (and in S3 with --remote).")
  static final class ListBackups extends Sub {
    @Option(names = "--json") boolean json;

    @Option(names = "--remote", description = "List the copies in S3 instead") boolean remote;

    @Override
    int run(DeployCli cli, DeployEngine engine, GantrySystem s, HostTarget target, PrintWriter out) throws Exception {
      if (remote) {
        var copy = cli.s3().orElseThrow(() -> new dev.gantry.core.UserError("--remote needs S3 configured (--s3-endpoint, --s3-bucket)"));
        List<String> ids = copy.list(target.layout(s.name()).project());
        out.println(json ? Json.writePretty(ids) : String.join("\n", ids));
        return 0;
      }
      List<Backup> all = engine.store(s, target).list();
      if (json) {
        out.println(Json.writePretty(all));
        return 0;
      }
      for (Backup b : all) {
        out.printf("%s  release %-14s %3d archive(s) %12d bytes%n", b.id(), b.release(), b.archives().size(), b.totalBytes());
      }
      return 0;
    }
  }

  @Command(name = "verify", mixinStandardHelpOptions = true, description = "Re-read a backup's archives and check them against the SHA-256 manifest.")
  static final class Verify extends Sub {
    @Parameters(index = "1", paramLabel = "BACKUP") String id;

    @Override
    int run(DeployCli cli, DeployEngine engine, GantrySystem s, HostTarget target, PrintWriter out) throws Exception {
      BackupStore store = engine.store(s, target);
      if (store.find(id).isEmpty() && cli.s3().isPresent()) {
        out.println("  fetching " + id + " from S3");
        cli.s3().get().download(target.layout(s.name()).project(), id, store);
      }
      Verification v = store.verify(id);
      if (v.ok()) {
        out.println("backup " + id + " is intact");
        return 0;
      }
      out.println("backup " + id + " is damaged:");
      v.problems().forEach(p -> out.println("  - " + p));
      return 1;
    }
  }

  @Command(name = "restore", mixinStandardHelpOptions = true,
      description = "Stop the system, restore volumes from a verified backup, start it and wait for health. A backup whose checksums do not match is refused.")
  static final class Restore extends Sub {
    @Parameters(index = "1", paramLabel = "BACKUP") String id;

    @Option(names = "--volume", paramLabel = "NAME", description = "Restore only this volume (repeatable). Default: all")
    List<String> volumes = new ArrayList<>();

    @Override
    int run(DeployCli cli, DeployEngine engine, GantrySystem s, HostTarget target, PrintWriter out) throws Exception {
      BackupStore store = engine.store(s, target);
      if (store.find(id).isEmpty() && cli.s3().isPresent()) {
        out.println("  fetching " + id + " from S3");
        cli.s3().get().download(target.layout(s.name()).project(), id, store);
      }
      out.println(engine.restore(s, target, cli.runtime(target), id, volumes));
      return 0;
    }
  }
}
