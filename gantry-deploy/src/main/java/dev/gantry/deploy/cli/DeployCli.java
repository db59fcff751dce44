package dev.gantry.deploy.cli;

import dev.gantry.core.UserError;
import dev.gantry.core.infra.Deployment;
import dev.gantry.core.infra.HostSpec;
import dev.gantry.core.infra.InfraRepo;
import dev.gantry.core.infra.Infrastructure;
import dev.gantry.core.notify.Notification;
import dev.gantry.core.notify.Notifier;
import dev.gantry.core.notify.SlackNotifier;
import dev.gantry.core.notify.WebhookNotifier;
import dev.gantry.core.process.Background;
import dev.gantry.core.target.LocalTarget;
import dev.gantry.core.target.Target;
import dev.gantry.deploy.docker.Docker;
import dev.gantry.deploy.engine.DeployContext;
import dev.gantry.deploy.engine.DeployEngine;
import dev.gantry.deploy.engine.DeployListener;
import dev.gantry.deploy.engine.DeployOptions;
import dev.gantry.deploy.engine.HostTarget;
import dev.gantry.deploy.ledger.JsonLinesLedger;
import dev.gantry.deploy.ledger.ReleaseRecord;
import dev.gantry.deploy.model.GantrySystem;
import dev.gantry.deploy.runtime.ComposeRuntime;
import dev.gantry.deploy.runtime.ContainerRuntime;
import dev.gantry.deploy.runtime.SwarmRuntime;
import dev.gantry.deploy.s3.S3BackupCopy;
import dev.gantry.deploy.s3.S3Client;
import dev.gantry.deploy.s3.S3Config;
import dev.gantry.deploy.secrets.VaultSecrets;
import dev.gantry.host.ssh.RecordedAddresses;
import dev.gantry.host.ssh.SshConnection;
import dev.gantry.host.ssh.SshEndpoint;
import dev.gantry.host.ssh.SshOptions;
import dev.gantry.host.vault.GpgDecryptor;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.eclipse.jgit.lib.PersonIdent;

/**
 * One command's session: the loaded definition, the engine, and connections to hosts,
 * closed at the end. Keeps the command classes to their arguments.
 */
final class DeployCli implements AutoCloseable {
  private final CommonOptions opts;
  private final CliEnvironment env;
  private final PrintWriter out;
  private final List<SshConnection> connections = new ArrayList<>();
  private final List<CompletableFuture<?>> deliveries = new ArrayList<>();
  private Infrastructure infra;
  private Notifier notifier;

  DeployCli(CommonOptions opts, CliEnvironment env, PrintWriter out) {
    this.opts = opts;
    this.env = env;
    this.out = out;
  }

  Infrastructure infra() {
    if (infra == null) {
      infra = env.loader().apply(opts.infra, opts.dataDir());
    }
    return infra;
  }

  GantrySystem system(String name) {
    List<GantrySystem> all = infra().declarations(GantrySystem.class);
    return all.stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow(() -> new UserError(
        "unknown system '" + name + "'; the definition declares: "
            + (all.isEmpty() ? "no systems" : String.join(", ", all.stream().map(GantrySystem::name).toList()))));
  }

  /** The release the definition says {@code host} runs {@code system} at. */
  Optional<String> declaredRelease(String system, String host) {
    return infra().requireHost(host).deployments().stream().filter(d -> d.system().name().equals(system))
        .map(Deployment::release).findFirst();
  }

  /** The hosts of {@code role} that run {@code system} in the definition, in declaration order. */
  List<String> hostsOfRole(String system, String role) {
    List<String> out = infra().hosts().stream().filter(h -> role.equals(h.role()))
        .filter(h -> h.deployments().stream().anyMatch(d -> d.system().name().equals(system))).map(HostSpec::name).toList();
    if (out.isEmpty()) {
      throw new UserError("no host of role '" + role + "' runs system '" + system + "' in the definition");
    }
    return out;
  }

  HostTarget target(String hostName) {
    HostSpec spec = infra().requireHost(hostName);
    // a host made by `gantry cloud up` is reached at the address recorded in hosts.yml
    RecordedAddresses recorded = RecordedAddresses.read(opts.infra);
    String address = recorded.addressOf(spec);
    boolean here = opts.local || isLoopback(address);
    Target exec = here ? LocalTarget.thisMachine() : ssh(recorded.endpoint(spec));
    // this machine's target takes absolute paths only; --root may be given relative to here
    String root = here ? java.nio.file.Path.of(opts.root).toAbsolutePath().normalize().toString() : opts.root;
    return new HostTarget(spec.name(), spec.role(), address, exec, root, opts.prefix);
  }

  ContainerRuntime runtime(HostTarget host) {
    Docker docker = new Docker(host.executor());
    return opts.swarm ? new SwarmRuntime(docker) : ComposeRuntime.detect(docker);
  }

  DeployEngine engine() {
    DeployOptions o = DeployOptions.defaults().withHealthTimeout(opts.healthTimeout)
        .withKeepBackups(opts.keepBackups).withUnitDir(opts.unitDir)
        .withDrainTimeout(opts.drainTimeout).withKeepInstances(opts.keepInstances)
        .withPublicPortsUnderSwarm(opts.publicPorts);
    Optional<InfraRepo> repo = Optional.of(InfraRepo.open(opts.infra));
    // git's configuration is read while the first checks run
    CompletableFuture<String> asked = Background.supply(() -> {
      PersonIdent p = repo.get().who();
      return p.getName() + " <" + p.getEmailAddress() + ">";
    });
    Supplier<String> who = () -> {
      try {
        return asked.join();
      } catch (CompletionException e) {
        throw e.getCause() instanceof RuntimeException r ? r : e;
      }
    };
    DeployListener listener = new DeployListener() {
      @Override
      public void progress(String line) {
        out.println("  " + line);
        out.flush();
      }

      @Override
      public void finished(ReleaseRecord r, String summary) {
        announce(r, summary);
      }
    };
    return new DeployEngine(new DeployContext(new JsonLinesLedger(ledgerFile()), repo, env.clock(), who, s3(),
        new VaultSecrets(opts.infra, new GpgDecryptor()), o, listener));
  }

  Path ledgerFile() {
    return opts.dataDir().resolve("deploy/ledger.jsonl");
  }

  /** S3 copy when an endpoint and bucket are configured; keys only from the environment. */
  Optional<S3BackupCopy> s3() {
    String endpoint = first(opts.s3Endpoint, env.env().get("GANTRY_S3_ENDPOINT"));
    String bucket = first(opts.s3Bucket, env.env().get("GANTRY_S3_BUCKET"));
    if (endpoint == null && bucket == null) {
      return Optional.empty();
    }
    if (endpoint == null || bucket == null) {
      throw new UserError("S3 copy of backups needs both an endpoint and a bucket (--s3-endpoint, --s3-bucket)");
    }
    String region = first(opts.s3Region, env.env().getOrDefault("GANTRY_S3_REGION", "us-east-1"));
    String prefix = first(opts.s3Prefix, env.env().getOrDefault("GANTRY_S3_PREFIX", "gantry"));
    String ak = env.env().get("GANTRY_S3_ACCESS_KEY");
    String sk = env.env().get("GANTRY_S3_SECRET_KEY");
    if (ak == null || sk == null) {
      throw new UserError("S3 copy of backups needs GANTRY_S3_ACCESS_KEY and GANTRY_S3_SECRET_KEY in the environment");
    }
    URI uri;
    try {
      uri = URI.create(endpoint);
    } catch (IllegalArgumentException e) {
      throw new UserError("--s3-endpoint '" + endpoint + "' is not a URL");
    }
    return Optional.of(new S3BackupCopy(new S3Client(new S3Config(uri, region, bucket, prefix, ak, sk), env.clock())));
  }

  private void announce(ReleaseRecord r, String summary) {
    if (notifier == null) {
      List<Notifier> ns = new ArrayList<>();
      String slack = env.env().get("GANTRY_DEPLOY_SLACK_WEBHOOK");
      String hook = env.env().get("GANTRY_DEPLOY_WEBHOOK");
      try {
        if (slack != null && !slack.isBlank()) {
          ns.add(new SlackNotifier(URI.create(slack)));
        }
        if (hook != null && !hook.isBlank()) {
          ns.add(new WebhookNotifier(URI.create(hook)));
        }
      } catch (IllegalArgumentException e) {
        throw new UserError("GANTRY_DEPLOY_SLACK_WEBHOOK / GANTRY_DEPLOY_WEBHOOK must be URLs");
      }
      if (ns.isEmpty()) {
        return;
      }
      notifier = ns.size() == 1 ? ns.get(0) : new dev.gantry.core.notify.CompositeNotifier(ns);
    }
    Notification.Level level = r.succeeded() ? Notification.Level.SUCCESS
        : r.outcome() == ReleaseRecord.Outcome.ROLLED_BACK ? Notification.Level.WARNING : Notification.Level.FAILURE;
    Notification n = Notification.of(level, r.system() + " " + r.release() + " on " + r.host() + ": "
        + r.outcome().name().toLowerCase().replace('_', ' '), summary)
        .withField("kind", r.kind().name().toLowerCase()).withField("by", r.by())
        .withField("ledger entry", String.valueOf(r.seq()));
    if (r.backupId() != null) {
      n = n.withField("backup", r.backupId());
    }
    deliveries.add(notifier.send(n));
  }

  private Target ssh(SshEndpoint endpoint) {
    SshOptions o = SshOptions.defaults();
    if (opts.sshKey != null) {
      o = o.withIdentity(opts.sshKey);
    }
    if (opts.knownHosts != null) {
      o = o.withKnownHosts(opts.knownHosts);
    }
    o = o.acceptingNewHostKey(opts.acceptNewHostKey).withConnectTimeout(opts.connectTimeout);
    SshConnection c = SshConnection.connect(endpoint, o);
    connections.add(c);
    return c.target();
  }

  static boolean isLoopback(String address) {
    return address.equals("localhost") || address.startsWith("127.") || address.equals("::1");
  }

  private static String first(String a, String b) {
    return a != null ? a : b;
  }

  @Override
  public void close() {
    for (CompletableFuture<?> f : deliveries) {
      try {
        f.get(15, TimeUnit.SECONDS);
      } catch (Exception e) {
        out.println("  notification not delivered: " + e.getMessage());
      }
    }
    if (notifier != null) {
      notifier.close();
    }
    connections.forEach(SshConnection::close);
    out.flush();
  }
}
