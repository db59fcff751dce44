package dev.gantry.host.spin;

import dev.gantry.core.UserError;
import dev.gantry.core.infra.HostSelection;
import dev.gantry.core.infra.InfraDefinition;
import dev.gantry.core.infra.InfraRepo;
import dev.gantry.host.apply.PropertyOutcome;
import dev.gantry.host.ca.CertificateAuthority;
import dev.gantry.host.ca.SpinCertificates;
import dev.gantry.host.ca.TeamCa;
import dev.gantry.host.property.Result;
import dev.gantry.host.property.SecretRef;
import dev.gantry.host.property.Status;
import dev.gantry.host.remote.RemoteEvent;
import dev.gantry.host.remote.SpinRequest;
import dev.gantry.host.runtime.HostRuntime;
import dev.gantry.host.runtime.RuntimeArtifact;
import dev.gantry.host.runtime.RuntimeArtifacts;
import dev.gantry.host.ssh.RecordedAddresses;
import dev.gantry.host.ssh.SshConnection;
import dev.gantry.host.vault.Decryptor;
import dev.gantry.host.vault.Vault;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * {@code gantry host spin}: compiles the definition, makes the {@link SpinPlan} (hosts,
 * addresses, secrets) before touching anything, commits the infrastructure repository,
 * then for each ready host (several at once) connects over SSH, makes sure Gantry's
 * runtime is there, sends the compiled definition and the host's secrets on stdin, and
 * collects the {@link RemoteEvent}s streamed back.
 *
 * <p>Connecting and starting the runtime on the hosts go on while this machine commits,
 * decrypts and readies the runtime: the hosts' JVMs start and wait for their request, which
 * is sent only once all of that succeeded. A host never acts before it has the whole
 * request; when the preparation fails, its input ends empty and it applies nothing.
 *
 * <pre>{@code
 * SpinReport r = Spinner.spin(Path.of("."), HostSelection.of(List.of("web*")), options, listener);
 * System.exit(r.failed() ? 1 : 0);
 * }</pre>
 */
public final class Spinner {

  private Spinner() {}

  /** Everything that happened; {@link #failed()} decides the exit status. */
  public record SpinReport(InfraRepo.Committed repository, List<HostReport> hosts) {
    public boolean failed() {
      return hosts.stream().anyMatch(h -> !h.ok());
    }
  }

  /** Spins the hosts named (names or patterns). */
  public static SpinReport spin(Path repo, List<String> hosts, SpinOptions o, SpinListener listener) {
    return spin(repo, HostSelection.of(hosts), o, listener);
  }

  public static SpinReport spin(Path repo, HostSelection selection, SpinOptions o, SpinListener listener) {
    SshConnection.prepare();
    InfraDefinition.Compiled def = InfraDefinition.compile(repo, o.runtimeCache().resolveSibling("definitions"));
    Vault vault = Vault.open(repo);
    SpinPlan plan = SpinPlan.of(def.infrastructure(), selection, RecordedAddresses.read(repo), vault::has);
    listener.selected(plan.hostNames());
    // a local cache lookup once made; made here (jlink) before any host is touched
    RuntimeArtifacts runtime = plan.ready().isEmpty() ? null : RuntimeArtifacts.ensure(o.runtimeCache());
    CompletableFuture<Prepared> prepared = new CompletableFuture<>();
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(o.parallel(), plan.hosts().size())));
    try {
      List<Future<HostReport>> futures = new ArrayList<>();
      int next = 0;
      for (SpinPlan.HostPlan h : plan.hosts()) {
        switch (h) {
          case SpinPlan.Blocked b -> {
            HostReport r = new HostReport(b.host(), List.of(), b.reason(), false, 0);
            listener.finished(r);
            futures.add(CompletableFuture.completedFuture(r));
          }
          case SpinPlan.Ready ready -> {
            int index = next++;
            futures.add(pool.submit(() -> {
              HostReport r = spinHost(ready, runtime, prepared.thenApply(p -> p.requests().get(index)), o, listener);
              listener.finished(r);
              return r;
            }));
          }
        }
      }
      Prepared p;
      try {
        p = prepare(repo, def, plan, vault, o);
        prepared.complete(p);
      } catch (RuntimeException e) {
        prepared.completeExceptionally(e);
        awaitAll(futures);
        throw e;
      }
      return new SpinReport(p.committed(), awaitAll(futures));
    } finally {
      pool.shutdownNow();
    }
  }

  /** What the hosts wait for: the commit made and each ready host's request. */
  private record Prepared(InfraRepo.Committed committed, List<SpinRequest> requests) {}

  private static Prepared prepare(Path repo, InfraDefinition.Compiled def, SpinPlan plan, Vault vault, SpinOptions o) {
    InfraRepo.Committed committed = o.dryRun() ? InfraRepo.Committed.nothing("dry run: repository not committed")
        : commit(repo, plan, o);
    return new Prepared(committed, requests(def, plan, vault, o));
  }

  private static List<HostReport> awaitAll(List<Future<HostReport>> futures) {
    List<HostReport> reports = new ArrayList<>();
    try {
      for (Future<HostReport> f : futures) {
        reports.add(f.get());
      }
      return reports;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UserError("spin interrupted");
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    }
  }

  /** Writes the .gitignore a new infra folder lacks, then commits as the repository's rules say. */
  private static InfraRepo.Committed commit(Path repo, SpinPlan plan, SpinOptions o) {
    boolean wrote = InfraRepo.find(repo).map(InfraRepo::writeGitignoreIfMissing).orElse(false);
    InfraRepo.Committed c = InfraRepo.commitAndPush(repo, "gantry host spin " + String.join(" ", plan.hostNames()),
        o.commitDefinition());
    return wrote ? new InfraRepo.Committed(c.summary() + " (with a new .gitignore for keys and local state)",
        c.leftUntracked(), c.privateKeys()) : c;
  }

  /** The request for each ready host, in order; the vault is decrypted here, once, before any host is touched. */
  private static List<SpinRequest> requests(InfraDefinition.Compiled def, SpinPlan plan, Vault vault, SpinOptions o) {
    Map<String, String> classes = new LinkedHashMap<>();
    def.classes().forEach((k, v) -> classes.put(k, Base64.getEncoder().encodeToString(v)));
    Decryptor decryptor = null;
    CertificateAuthority.Issued ca = null;
    List<SpinRequest> out = new ArrayList<>();
    for (SpinPlan.Ready h : plan.ready()) {
      List<SpinRequest.SecretValue> secrets = new ArrayList<>();
      for (SecretRef s : h.secrets()) {
        decryptor = decryptor == null ? o.decryptor().get() : decryptor;
        secrets.add(new SpinRequest.SecretValue(s.field(), s.context(),
            new String(vault.get(s, decryptor), StandardCharsets.UTF_8)));
      }
      if (!h.certificates().isEmpty()) {
        // issued here: the CA's key is never sent to a host
        decryptor = decryptor == null ? o.decryptor().get() : decryptor;
        ca = ca != null ? ca : TeamCa.fromVaultEntry(new String(vault.get(TeamCa.VAULT_ENTRY, decryptor), StandardCharsets.UTF_8));
        SpinCertificates.issue(ca, h.host(), h.certificates(), InstantSource.system())
            .forEach((ref, value) -> secrets.add(new SpinRequest.SecretValue(ref.field(), ref.context(), value)));
      }
      out.add(new SpinRequest(SpinRequest.VERSION, h.host(), o.dryRun(), def.className(), classes, secrets,
          (int) o.lockWait().toSeconds(), h.peers()));
    }
    return out;
  }

  private static HostReport spinHost(SpinPlan.Ready plan, RuntimeArtifacts runtime,
                                     CompletableFuture<SpinRequest> request, SpinOptions o, SpinListener listener) {
    long start = System.nanoTime();
    String host = plan.host();
    RemoteRun run = new RemoteRun(host, o.dryRun(), listener);
    boolean uploaded = false;
    CompletableFuture<byte[]> body = request.thenApply(r -> r.toJson().getBytes(StandardCharsets.UTF_8));
    try {
      listener.phase(host, "connecting to " + plan.endpoint());
      try (SshConnection ssh = SshConnection.connect(plan.endpoint(), o.ssh())) {
        listener.phase(host, "starting Gantry's runtime");
        RuntimeArtifact java = runtime.java();
        RuntimeArtifact app = runtime.app();
        int code = run.exec(ssh, HostRuntime.commandIfInstalled(java, app), new PendingInput(body));
        if (code == HostRuntime.MISSING && run.total() == 0) {
          body.join(); // nothing is installed on a host before this machine's side is ready
          listener.phase(host, "installing Gantry's runtime (" + runtime.uploadSize() + ")");
          uploaded = HostRuntime.ensure(ssh, java, app).any();
          run = new RemoteRun(host, o.dryRun(), listener);
          code = run.exec(ssh, HostRuntime.command(java, app), new PendingInput(body));
        }
        body.join(); // a host whose request never came says why below
        return new HostReport(host, run.outcomes(), run.error(code), uploaded, (System.nanoTime() - start) / 1_000_000);
      }
    } catch (java.util.concurrent.CompletionException e) {
      Throwable why = e.getCause() == null ? e : e.getCause();
      return new HostReport(host, List.of(), "not spun: " + (why instanceof UserError ? why.getMessage() : why),
          uploaded, (System.nanoTime() - start) / 1_000_000);
    } catch (UserError e) {
      return new HostReport(host, run.outcomes(), e.getMessage(), uploaded, (System.nanoTime() - start) / 1_000_000);
    } catch (RuntimeException e) {
      return new HostReport(host, run.outcomes(), "spin failed: " + e, uploaded,
          (System.nanoTime() - start) / 1_000_000);
    }
  }

  /** One execution of the runtime on a host: the events it streams, turned into outcomes. */
  private static final class RemoteRun {
    private final String host;
    private final boolean dryRun;
    private final SpinListener listener;
    private final List<PropertyOutcome> outcomes = new ArrayList<>();
    private final List<String> errors = new ArrayList<>();
    private final List<String> stderr = new ArrayList<>();
    private int total;
    private boolean done;

    RemoteRun(String host, boolean dryRun, SpinListener listener) {
      this.host = host;
      this.dryRun = dryRun;
      this.listener = listener;
    }

    int exec(SshConnection ssh, String command, InputStream body) {
      return ssh.exec(ssh.privileged(command), body, this::line, l -> {
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
      switch (e) {
        case RemoteEvent.Start s -> {
          total = s.count();
          listener.phase(host, (dryRun ? "checking " : "applying ") + total + " properties"
              + (dryRun ? " (dry run)" : ""));
        }
        case RemoteEvent.Outcome o -> {
          PropertyOutcome po = new PropertyOutcome(o.index(), o.describe(),
              new Result(Status.valueOf(o.status()), o.message(), o.diff()), o.millis());
          outcomes.add(po);
          listener.result(host, po);
          listener.phase(host, outcomes.size() + "/" + total + " properties");
        }
        case RemoteEvent.Failure f -> errors.add(f.message());
        case RemoteEvent.Done d -> done = true;
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
