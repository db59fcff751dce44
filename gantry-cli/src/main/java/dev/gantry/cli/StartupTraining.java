package dev.gantry.cli;

import dev.gantry.core.UserError;
import dev.gantry.core.infra.HostSpec;
import dev.gantry.core.infra.HostsRegistry;
import dev.gantry.core.infra.InfraRepo;
import dev.gantry.core.infra.Infrastructure;
import dev.gantry.core.process.Command;
import dev.gantry.core.target.FileAttrs;
import dev.gantry.core.target.LocalTarget;
import dev.gantry.core.text.UnifiedDiff;
import dev.gantry.deploy.cli.CliEnvironment;
import dev.gantry.deploy.engine.DeployEngine;
import dev.gantry.deploy.engine.HostTarget;
import dev.gantry.deploy.generate.ComposeGenerator;
import dev.gantry.deploy.generate.GeneratedFile;
import dev.gantry.deploy.generate.SystemFiles;
import dev.gantry.deploy.layout.Layout;
import dev.gantry.deploy.ledger.JsonLinesLedger;
import dev.gantry.deploy.ledger.Ledger;
import dev.gantry.deploy.ledger.ReleaseRecord;
import dev.gantry.deploy.model.GantrySystem;
import dev.gantry.deploy.model.SystemValidator;
import dev.gantry.deploy.release.Release;
import dev.gantry.deploy.secrets.VaultSecrets;
import dev.gantry.host.ssh.RecordedAddresses;
import dev.gantry.host.vault.GpgDecryptor;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.BiFunction;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.StoredConfig;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

/**
 * {@code gantry startup-training DIR} (hidden): runs the code real commands run first, so that
 * a JVM started with {@code -XX:AOTCacheOutput} (or {@code -XX:ArchiveClassesAtExit}) records
 * those classes, linked and profiled, for the launcher's start-up cache: every command's help,
 * an infrastructure definition compiled and then taken from its cache, a system's compose file,
 * nginx configuration and diff, the release ledger, the hosts registry and its commit, two
 * short processes, and an SSH login to a server of its own on loopback ({@link SshTraining}).
 * Offline, and only inside {@code DIR}; nothing needs Docker, an sshd or the network. Prints
 * nothing unless it fails. (JGit also probes {@code java.io.tmpdir} for symbolic links, which
 * is why the launcher points it into {@code DIR}, and notes a file system it has not seen
 * before in {@code ~/.config/jgit/config}, as at any first commit there.)
 *
 * <pre>{@code
 * java -XX:AOTCacheOutput=gantry.aot -jar gantry.jar startup-training /tmp/gantry-training.123
 * java -XX:AOTCache=gantry.aot -jar gantry.jar deploy shop --host prod
 * }</pre>
 */
@CommandLine.Command(name = "startup-training", hidden = true,
    description = "Run what commands run first, inside DIR, for the launcher's start-up cache.")
final class StartupTraining implements Callable<Integer> {
  /** Shaped like a real definition: a database with a volume, an app behind an nginx front. */
  private static final String DEFINITION = """
      import dev.gantry.core.infra.*;
      import dev.gantry.deploy.model.*;
      import java.time.Duration;

      public class Infra implements InfrastructureDefinition {
        public void define(Infrastructure i) {
          var shop = i.add(GantrySystem.named("shop")
              .service("db", s -> s.image("shop/db:1").port(7000).volume("dbdata", "/var/lib/db")
                  .health(HealthCheck.http("/health").every(Duration.ofSeconds(1))))
              .service("app", s -> s.image("shop/app").port(8080).env("MODE", "production").dependsOn("db")
                  .health(HealthCheck.http("/health")))
              .frontend(Frontend.nginx().image("nginx:1.27").listen(8088).route("/", "app:8080")));
          i.host("local").address("127.0.0.1").role("staging").runs(shop, "v1");
        }
      }
      """;

  @Parameters(index = "0", paramLabel = "DIR", description = "An empty folder to work in; created when missing")
  Path dir;

  @Override
  public Integer call() {
    try {
      Files.createDirectories(dir);
      renderHelp();
      Path repo = infraRepository();
      Infrastructure infra = loadDefinition(repo);
      GantrySystem system = infra.declarations(GantrySystem.class).get(0);
      SystemValidator.requireValid(system);
      HostTarget host = target(infra.requireHost("local"), repo);
      Release release = writeSystemFiles(system, host, repo);
      PersonIdent who = InfraRepo.open(repo).who();
      ReleaseRecord record = recordRelease(system, host, release, who);
      commitRegistry(repo, host, record, who);
      runProcesses();
      SshTraining.run(dir.resolve("ssh"));
      return Main.OK;
    } catch (Exception e) {
      String why = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
      throw new UserError("start-up training in " + dir + " failed: " + e.getClass().getSimpleName() + ": " + why, e);
    }
  }

  /** Builds every command and renders each one's help, as {@code --help} does; parses a deploy, prints the version. */
  private void renderHelp() {
    PrintWriter discard = new PrintWriter(Writer.nullWriter());
    usage(Main.commandLine(), discard);
    Main.commandLine("--version").printVersionHelp(discard);
    Main.commandLine("deploy").parseArgs("deploy", "shop", "--host", "local", "--infra", dir.toString(), "--dry-run");
  }

  private static void usage(CommandLine command, PrintWriter out) {
    command.usage(out);
    command.getSubcommands().values().forEach(sub -> usage(sub, out));
  }

  /** An infrastructure repository as users keep one: the definition in {@code infra/}, git, who commits. */
  private Path infraRepository() throws Exception {
    Path repo = dir.resolve("infra");
    Files.createDirectories(repo.resolve("infra"));
    Files.writeString(repo.resolve("infra/Infra.java"), DEFINITION);
    try (Git git = Git.init().setDirectory(repo.toFile()).setInitialBranch("main").call()) {
      StoredConfig config = git.getRepository().getConfig();
      config.setString("user", null, "name", "Gantry");
      config.setString("user", null, "email", "gantry@localhost");
      // Gantry signs when git would (commit.gpgSign); a throwaway repository needs no one's key or agent
      config.setBoolean("commit", null, "gpgsign", false);
      config.save();
    }
    return repo;
  }

  /** Loads the definition as {@code gantry deploy} does: compiled the first time (javac), from the cache the second. */
  private Infrastructure loadDefinition(Path repo) {
    BiFunction<Path, Path, Infrastructure> loader = CliEnvironment.standard().loader();
    loader.apply(repo, dataDir());
    return loader.apply(repo, dataDir());
  }

  private HostTarget target(HostSpec spec, Path repo) {
    String address = RecordedAddresses.read(repo).addressOf(spec);
    return new HostTarget(spec.name(), spec.role(), address, LocalTarget.thisMachine(), dir.resolve("root").toString(), "");
  }

  /** Writes the files of release v2 where a deploy would, and diffs them against v1's as a dry run shows them. */
  private Release writeSystemFiles(GantrySystem system, HostTarget host, Path repo) {
    Layout layout = host.layout(system.name());
    VaultSecrets vault = new VaultSecrets(repo, new GpgDecryptor());
    Release release = Release.parse("v2", system);
    SystemFiles.Generated before = SystemFiles.generate(system, Release.parse("v1", system), layout, false, vault);
    SystemFiles.Generated after = SystemFiles.generate(system, release, layout, false, vault);
    for (int i = 0; i < after.files().size(); i++) {
      GeneratedFile file = after.files().get(i);
      UnifiedDiff.of("/" + file.relativePath(), before.files().get(i).content(), file.content());
      host.executor().writeMakingFolders(layout.dir() + "/" + file.relativePath(), file.bytes(), FileAttrs.secretIf(file.secret()));
    }
    ComposeGenerator.services(after.model());
    return release;
  }

  private ReleaseRecord recordRelease(GantrySystem system, HostTarget host, Release release, PersonIdent who) {
    Ledger ledger = new JsonLinesLedger(dataDir().resolve("deploy/ledger.jsonl"));
    Map<String, String> images = new LinkedHashMap<>();
    system.services().forEach(s -> images.put(s.name(), release.image(s)));
    ReleaseRecord record = ledger.append(new ReleaseRecord(0, Instant.now(), system.name(), host.name(),
        host.layout(system.name()).project(), "compose", ReleaseRecord.Kind.DEPLOY, ReleaseRecord.Outcome.SUCCEEDED,
        release.label(), release.tags(), images, Map.of(), DeployEngine.schemas(system), null, null,
        who.getName() + " <" + who.getEmailAddress() + ">", null));
    ledger.current(system.name(), host.name()).orElseThrow();
    return record;
  }

  /** Writes hosts.yml and commits it alone, as every deploy does, then reads it back. */
  private static void commitRegistry(Path repo, HostTarget host, ReleaseRecord r, PersonIdent who) {
    InfraRepo infra = InfraRepo.open(repo);
    HostsRegistry registry = infra.readRegistry().with(host.name(), host.role(), host.address(), r.system(),
        new HostsRegistry.SystemEntry(r.release(), r.tags(), r.runtime(), r.at().toString(), r.by(), r.seq(), null));
    infra.commitRegistry(registry, "deploy " + r.system() + " " + r.release() + " to " + host.name(), who);
    infra.readRegistry();
  }

  /** One short process through each of the two ways Gantry starts them. */
  private void runProcesses() {
    LocalTarget.thisMachine().run(Duration.ofSeconds(10), "true").requireOk("running true");
    if (!Command.of("true").dir(dir).timeout(Duration.ofSeconds(10)).run().ok()) {
      throw new UserError("running true failed");
    }
  }

  private Path dataDir() {
    return dir.resolve("data");
  }
}
