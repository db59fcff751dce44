package dev.gantry.host.property;

import dev.gantry.core.target.Target;
import java.time.InstantSource;
import java.util.Map;
import java.util.Objects;

/**
 * What a property is applied with: the target, whether this is a dry run (report, change
 * nothing), the secrets sent for this host, a clock, the host's name as the definition
 * gives it, what the dry run has found so far ({@link Foresight}), and the addresses of the
 * other hosts the properties name ({@link Info.PeerAddressWanted}), resolved by the spin.
 *
 * <pre>{@code
 * Context ctx = Context.of(new LocalTarget()).dryRun(true);
 * Result r = File.hasContent("/etc/motd", "hi\n").apply(ctx);
 * }</pre>
 */
public record Context(Target target, boolean dryRun, Secrets secrets, InstantSource clock, String hostName,
                      Foresight foresight, Map<String, String> peers) {
  public Context {
    peers = Map.copyOf(peers);
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(secrets, "secrets");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(hostName, "hostName");
    Objects.requireNonNull(foresight, "foresight");
  }

  /** A context for one run on one host, with nothing foreseen yet. */
  public Context(Target target, boolean dryRun, Secrets secrets, InstantSource clock, String hostName) {
    this(target, dryRun, secrets, clock, hostName, new Foresight(), Map.of());
  }

  public static Context of(Target target) {
    return new Context(target, false, Secrets.none(), InstantSource.system(), target.name());
  }

  public Context dryRun(boolean dry) {
    return new Context(target, dry, secrets, clock, hostName, new Foresight(), peers);
  }

  public Context withSecrets(Secrets s) {
    return new Context(target, dryRun, s, clock, hostName, foresight, peers);
  }

  public Context withClock(InstantSource c) {
    return new Context(target, dryRun, secrets, c, hostName, foresight, peers);
  }

  public Context withHostName(String name) {
    return new Context(target, dryRun, secrets, clock, name, foresight, peers);
  }

  /** With the addresses of other hosts (host name to address) the properties may ask for. */
  public Context withPeers(Map<String, String> addresses) {
    return new Context(target, dryRun, secrets, clock, hostName, foresight, addresses);
  }

  /**
   * The address of {@code host}, another host of the definition, as the spin resolved it (its
   * own address, else the one {@code gantry cloud up} recorded); a {@link PropertyFailure} when
   * the spin did not send it, which happens only when the property does not declare
   * {@link Info.PeerAddressWanted}.
   */
  public String addressOf(String host) {
    String a = peers.get(host);
    if (a == null) {
      throw new PropertyFailure("the address of host '" + host + "' was not sent with this spin (a property that "
          + "uses another host's address declares Info.PeerAddressWanted)");
    }
    return a;
  }

  /** The secret's value, or a {@link PropertyFailure} naming the command that sets it. */
  public String secret(SecretRef ref) {
    SecretRef resolved = ref.resolve(hostName);
    return secrets.get(resolved).orElseThrow(() -> new PropertyFailure(
        "secret '" + resolved.field() + "' (context '" + resolved.context() + "') is missing; set it with: "
            + resolved.setCommand()));
  }
}
