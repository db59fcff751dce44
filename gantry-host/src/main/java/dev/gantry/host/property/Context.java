package dev.gantry.host.property;

import dev.gantry.host.target.Target;
import java.time.InstantSource;
import java.util.Objects;

/**
 * What a property is applied with: the target, whether this is a dry run (report, change
 * nothing), the secrets sent for this host, a clock, and the host's name.
 *
 * <pre>{@code
 * Context ctx = Context.of(new LocalTarget()).dryRun(true);
 * Result r = File.hasContent("/etc/motd", "hi\n").apply(ctx);
 * }</pre>
 */
public record Context(Target target, boolean dryRun, Secrets secrets, InstantSource clock, String hostName) {
  public Context {
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(secrets, "secrets");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(hostName, "hostName");
  }

  public static Context of(Target target) {
    return new Context(target, false, Secrets.none(), InstantSource.system(), target.name());
  }

  public Context dryRun(boolean dry) {
    return new Context(target, dry, secrets, clock, hostName);
  }

  public Context withSecrets(Secrets s) {
    return new Context(target, dryRun, s, clock, hostName);
  }

  public Context withClock(InstantSource c) {
    return new Context(target, dryRun, secrets, c, hostName);
  }

  public Context withHostName(String name) {
    return new Context(target, dryRun, secrets, clock, name);
  }

  /** The secret's value, or a {@link PropertyFailure} naming the command that sets it. */
  public String secret(SecretRef ref) {
    SecretRef resolved = ref.resolve(hostName);
    return secrets.get(resolved).orElseThrow(() -> new PropertyFailure(
        "secret '" + resolved.field() + "' (context '" + resolved.context() + "') is missing; set it with: "
            + resolved.setCommand()));
  }
}
