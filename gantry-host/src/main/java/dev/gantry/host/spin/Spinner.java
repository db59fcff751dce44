package dev.gantry.host.spin;

import dev.gantry.core.UserError;
import dev.gantry.core.infra.HostSpec;
import dev.gantry.core.infra.InfraRepo;
import dev.gantry.core.infra.Infrastructure;
import dev.gantry.host.apply.HostModel;
import dev.gantry.host.apply.PropertyOutcome;
import dev.gantry.host.definition.CompiledDefinition;
import dev.gantry.host.definition.DefinitionCompiler;
import dev.gantry.host.property.Result;
import dev.gantry.host.property.SecretRef;
import dev.gantry.host.property.Status;
import dev.gantry.host.remote.RemoteEvent;
import dev.gantry.host.remote.SpinRequest;
import dev.gantry.host.runtime.AppBundle;
import dev.gantry.host.runtime.HostRuntime;
import dev.gantry.host.runtime.JavaImage;
import dev.gantry.host.runtime.RuntimeArtifact;
import dev.gantry.host.ssh.RecordedAddresses;
import dev.gantry.host.ssh.SshConnection;
import dev.gantry.host.ssh.SshEndpoint;
import dev.gantry.host.vault.Decryptor;
import dev.gantry.host.vault.Vault;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ExecutionException;

/**
 * {@code gantry host spin}: compiles the definition, commits the infrastructure repository,
 * then for each host (several at once) connects over SSH, makes sure Gantry's runtime is
 * there, sends the compiled definition and the host's secrets on stdin, and collects the
 * results streamed back.
 *
 * <pre>{@code
 * SpinReport r = Spinner.spin(Path.of("."), List.of("ci.example.com"), options, listener);
 * System.exit(r.failed() ? 1 : 0);
 * }</pre>
 */
public final class Spinner {

  private Spinner() {}

  /** Everything that happened; {@link #failed()} decides the exit status. */
  public record SpinReport(String repository, List<HostReport> hosts) {
    public boolean failed() {
      return hosts.stream().anyMatch(h -> !h.ok());
    }
  }

  /** The definition source of an infrastructure repository: {@code infra/} (a folder or Infra.java). */
  public static Path definitionSource(Path repo) {
    Path dir = repo.resolve("infra");
    if (Files.isDirectory(dir)) {
      return dir;
    }
    throw new UserError("no infrastructure definition: " + dir.toAbsolutePath() + " does not exist (expected"
        + " infra/Infra.java implementing dev.gantry.core.infra.InfrastructureDefinition; use --infra DIR)");
  }

  public static SpinReport spin(Path repo, List<String> hostNames, SpinOptions o, SpinListener listener) {
    if (hostNames.isEmpty()) {
      throw new UserError("name at least one host to spin");
    }
    CompiledDefinition def = new DefinitionCompiler(o.runtimeCache().resolveSibling("definitions")).compile(definitionSource(repo));
    Infrastructure infra = load(def);
    List<HostSpec> specs = new ArrayList<>();
    for (String h : hostNames) {
      HostSpec spec = infra.requireHost(h);
      HostModel.properties(spec);
      specs.add(spec);
    }
    RecordedAddresses recorded = RecordedAddresses.read(repo);
    String repoState = o.dryRun() ? "dry run: repository not committed"
        : InfraRepo.commitAndPush(repo, "gantry host spin " + String.join(" ", hostNames));
    Vault vault = Vault.open(repo);
    Map<String, String> missing = new LinkedHashMap<>();
    for (HostSpec spec : specs) {
      List<String> cmds = HostModel.of(spec).secrets().stream().filter(s -> !vault.has(s))
          .map(SecretRef::setCommand).sorted().toList();
      if (!cmds.isEmpty()) {
        missing.put(spec.name(), "missing vault secrets, nothing was changed; set them with:\n  "
            + String.join("\n  ", cmds));
      }
    }
    RuntimeArtifact java = null;
    RuntimeArtifact app = null;
    if (missing.size() < specs.size()) {
      java = JavaImage.ensure(o.runtimeCache());
      app = AppBundle.ensure(o.runtimeCache(), AppBundle.currentClassPath());
    }
    Map<String, String> classes = new LinkedHashMap<>();
    def.classes().forEach((k, v) -> classes.put(k, Base64.getEncoder().encodeToString(v)));
    Decryptor[] decryptor = new Decryptor[1];
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(o.parallel(), specs.size()));
    try {
      List<Future<HostReport>> futures = new ArrayList<>();
      for (HostSpec spec : specs) {
        if (missing.containsKey(spec.name())) {
          HostReport r = new HostReport(spec.name(), List.of(), missing.get(spec.name()), false, 0);
          listener.finished(r);
          futures.add(CompletableFuture.completedFuture(r));
          continue;
        }
        List<SpinRequest.SecretValue> secrets = new ArrayList<>();
        for (SecretRef s : HostModel.of(spec).secrets()) {
          synchronized (decryptor) {
            if (decryptor[0] == null) {
              decryptor[0] = o.decryptor().get();
            }
          }
          secrets.add(new SpinRequest.SecretValue(s.field(), s.context(),
              new String(vault.get(s, decryptor[0]), StandardCharsets.UTF_8)));
        }
        SpinRequest req = new SpinRequest(SpinRequest.VERSION, spec.name(), o.dryRun(), def.className(), classes,
            secrets, (int) o.lockWait().toSeconds());
        RuntimeArtifact j = java;
        RuntimeArtifact a = app;
        futures.add(pool.submit(() -> {
          HostReport r = spinHost(spec, recorded.endpoint(spec), req, j, a, o, listener);
          listener.finished(r);
          return r;
        }));
      }
      List<HostReport> reports = new ArrayList<>();
      for (Future<HostReport> f : futures) {
        reports.add(f.get());
      }
      return new SpinReport(repoState, reports);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UserError("spin interrupted");
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    } finally {
      pool.shutdownNow();
    }
  }

  private static Infrastructure load(CompiledDefinition def) {
    try {
      return Infrastructure.of(def.instantiate());
    } catch (UserError e) {
      throw e;
    } catch (RuntimeException e) {
      String where = java.util.Arrays.stream(e.getStackTrace())
          .filter(f -> def.classes().containsKey(f.getClassName()) && f.getFileName() != null)
          .findFirst().map(f -> f.getFileName() + ":" + f.getLineNumber() + ": ").orElse("");
      throw new UserError("the infrastructure definition failed while declaring hosts: " + where
          + (e.getMessage() == null ? e.toString() : e.getMessage()));
    }
  }

  private static HostReport spinHost(HostSpec spec, SshEndpoint endpoint, SpinRequest req, RuntimeArtifact java,
                                     RuntimeArtifact app, SpinOptions o, SpinListener listener) {
    long start = System.nanoTime();
    String host = spec.name();
    RemoteRun run = new RemoteRun(host, listener);
    boolean uploaded = false;
    try {
      listener.phase(host, "connecting to " + endpoint);
      try (SshConnection ssh = SshConnection.connect(endpoint, o.ssh())) {
        byte[] body = req.toJson().getBytes(StandardCharsets.UTF_8);
        listener.phase(host, o.dryRun() ? "checking properties (dry run)" : "applying properties");
        int code = run.exec(ssh, HostRuntime.commandIfInstalled(java, app), body);
        if (code == HostRuntime.MISSING && run.total() == 0) {
          listener.phase(host, "installing Gantry's runtime");
          uploaded = HostRuntime.ensure(ssh, java, app).any();
          listener.phase(host, o.dryRun() ? "checking properties (dry run)" : "applying properties");
          run = new RemoteRun(host, listener);
          code = run.exec(ssh, HostRuntime.command(java, app), body);
        }
        return new HostReport(host, run.outcomes(), run.error(code), uploaded, (System.nanoTime() - start) / 1_000_000);
      }
    } catch (UserError e) {
      return new HostReport(host, run.outcomes(), e.getMessage(), uploaded, (System.nanoTime() - start) / 1_000_000);
    } catch (RuntimeException e) {
      return new HostReport(host, run.outcomes(), "spin failed: " + e, uploaded,
          (System.nanoTime() - start) / 1_000_000);
    }
  }

  /** One execution of the runtime on a host: the JSON lines it streams, turned into outcomes. */
  private static final class RemoteRun {
    private final String host;
    private final SpinListener listener;
    private final List<PropertyOutcome> outcomes = new ArrayList<>();
    private final List<String> errors = new ArrayList<>();
    private final List<String> stderr = new ArrayList<>();
    private int total;
    private boolean done;

    RemoteRun(String host, SpinListener listener) {
      this.host = host;
      this.listener = listener;
    }

    int exec(SshConnection ssh, String command, byte[] body) {
      return ssh.exec(ssh.privileged(command), new ByteArrayInputStream(body), this::line, l -> {
        if (stderr.size() < 50) {
          stderr.add(l);
        }
      }, Duration.ofHours(2));
    }

    private void line(String line) {
      RemoteEvent e;
      try {
        e = RemoteEvent.fromJson(line);
      } catch (IllegalArgumentException | ClassCastException ex) {
        stderr.add(line);
        return;
      }
      switch (e.type()) {
        case "start" -> {
          total = e.count();
          listener.phase(host, "0/" + total + " properties");
        }
        case "result" -> {
          PropertyOutcome po = new PropertyOutcome(e.index(), e.describe(),
              new Result(Status.valueOf(e.status()), e.message(), e.diff()), e.millis());
          outcomes.add(po);
          listener.result(host, po);
          listener.phase(host, outcomes.size() + "/" + total + " properties");
        }
        case "error" -> errors.add(e.message());
        case "done" -> done = true;
        default -> { }
      }
    }

    int total() {
      return total;
    }

    List<PropertyOutcome> outcomes() {
      return outcomes;
    }

    /** Why the run is incomplete, or null when it finished. */
    String error(int code) {
      if (!errors.isEmpty()) {
        return String.join("; ", errors);
      }
      if (!done) {
        return "the runtime on the host exited with status " + code + " after " + outcomes.size() + " of " + total
            + " properties" + (stderr.isEmpty() ? ""
            : ": " + String.join("\n", stderr.subList(Math.max(0, stderr.size() - 10), stderr.size())));
      }
      return null;
    }
  }
}
