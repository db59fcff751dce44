package dev.gantry.host.remote;

import dev.gantry.core.infra.HostSpec;
import dev.gantry.core.infra.Infrastructure;
import dev.gantry.core.target.LocalTarget;
import dev.gantry.host.apply.Applier;
import dev.gantry.host.apply.HostLock;
import dev.gantry.host.apply.HostModel;
import dev.gantry.host.apply.PropertyOutcome;
import dev.gantry.host.apply.Summary;
import dev.gantry.host.definition.CompiledDefinition;
import dev.gantry.host.property.Context;
import dev.gantry.host.property.Property;
import dev.gantry.host.property.SecretRef;
import dev.gantry.host.property.Secrets;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The runtime's entry point on a configured host: reads a {@link SpinRequest} from stdin,
 * loads the compiled definition, takes the host lock and applies the host's properties
 * on this machine, printing one {@link RemoteEvent} JSON line per property as it goes.
 * Exit status: 0 all held or changed, 1 a property failed, 2 nothing applied (bad request,
 * lock held, definition error).
 */
public final class RemoteMain {
  /** The host lock; the kernel releases it when this process dies. */
  public static final Path LOCK = Path.of("/var/lib/gantry/lock");

  private RemoteMain() {}

  public static void main(String[] args) {
    PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true,
        StandardCharsets.UTF_8);
    System.exit(run(System.in, out, LOCK));
  }

  static int run(InputStream in, PrintStream out, Path lockFile) {
    SpinRequest req;
    try {
      req = SpinRequest.fromJson(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException | RuntimeException e) {
      emit(out, new RemoteEvent.Failure("cannot read the spin request: " + e.getMessage()));
      return 2;
    }
    if (req.version() != SpinRequest.VERSION) {
      emit(out, new RemoteEvent.Failure("spin request version " + req.version() + " is not " + SpinRequest.VERSION));
      return 2;
    }
    List<Property> props;
    try {
      Map<String, byte[]> classes = new HashMap<>();
      req.classes().forEach((k, v) -> classes.put(k, Base64.getDecoder().decode(v)));
      Infrastructure infra = Infrastructure.of(new CompiledDefinition(req.definitionClass(), classes).instantiate());
      HostSpec spec = infra.requireHost(req.host());
      props = HostModel.properties(spec);
    } catch (RuntimeException | LinkageError e) {
      emit(out, new RemoteEvent.Failure("cannot load the definition on the host: " + e.getMessage()));
      return 2;
    }
    Map<SecretRef, String> secrets = new HashMap<>();
    for (SpinRequest.SecretValue s : req.secrets()) {
      secrets.put(SecretRef.of(s.field(), s.context()), s.value());
    }
    try (HostLock lock = HostLock.acquire(lockFile, Duration.ofSeconds(req.lockWaitSeconds()))) {
      Context ctx = new Context(new LocalTarget(req.host(), Duration.ofMinutes(30)), req.dryRun(),
          Secrets.of(secrets), InstantSource.system(), req.host()).withPeers(req.peers());
      emit(out, new RemoteEvent.Start(props.size()));
      List<PropertyOutcome> outcomes = Applier.apply(props, ctx, o -> emit(out, new RemoteEvent.Outcome(
          o.index(), o.describe(), o.result().status().name(), o.result().message(), o.result().diff(), o.millis())));
      emit(out, new RemoteEvent.Done());
      return Summary.of(outcomes).anyFailed() ? 1 : 0;
    } catch (RuntimeException e) {
      emit(out, new RemoteEvent.Failure(e.getMessage()));
      return 2;
    }
  }

  private static void emit(PrintStream out, RemoteEvent e) {
    synchronized (out) {
      out.println(e.toJson());
      out.flush();
    }
  }
}
