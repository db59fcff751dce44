package dev.gantry.host.property;

import dev.gantry.core.target.Target;
import java.time.InstantSource;
import java.util.Objects;

/**
 * What a property is applied with: the target, whether this is a dry run (report, change
 * nothing), the secrets sent for this host, a clock, the host's name as the definition
 * gives it, and what the dry run has found so far ({@link Foresight}).
 *
 * <pre>{@code
 * Context ctx = Context.of(new LocalTarget()).dryRun(true);
 * Result r = File.hasContent("/etc/motd", "hi\n").apply(ctx);
 * }</pre>
 */
public record Context(Target target, boolean dryRun, Secrets secrets, InstantSource clock, String hostName,
                      Foresight foresight) {
  public Context {
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(secrets, "secrets");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(hostName, "hostName");
    Objects.requireNonNull(foresight, "foresight");
  }

  /** A context for one run on one host, with nothing foreseen yet. */
  public Context(Target target, boolean dryRun, Secrets secrets, InstantSource clock, String hostName) {
    this(target, dryRun, secrets, clock, hostName, new Foresight());
  }

  public static Context of(Target target) {
    return new Context(target, false, Secrets.none(), InstantSource.system(), target.name());
  }

  public Context dryRun(boolean dry) {
    return new Context(target, dry, secrets, clock, hostName, new Foresight());
  }

  public Context withSecrets(Secrets s) {
    return new Context(target, dryRun, s, clock, hostName, foresight);
  }

  public Context withClock(InstantSource c) {
    return new Context(target, dryRun, secrets, c, hostName, foresight);
  }

  public Context withHostName(String name) {
    return new Context(target, dryRun, secrets, clock, name, foresight);
  }

  /** The secret's value, or a {@link PropertyFailure} naming the command that sets it. */
  public String secret(SecretRef ref) {
    SecretRef resolved = ref.resolve(hostName);
    return secrets.get(resolved).orElseThrow(() -> new PropertyFailure(
        "secret '" + resolved.field() + "' (context '" + resolved.context() + "') is missing; set it with: "
            + resolved.setCommand()));
  }
}
