package dev.gantry.ci.hook;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;

/**
 * How the gate proves to the central repository's guard hook that a push of {@code master},
 * {@code refs/gantry/*} or the notes is its own: a push option {@code gantry-gate=sha256=<hex>},
 * the HMAC-SHA256, under the hook secret, of {@code gantry-gate\n} and the pushed
 * {@code <new-sha> <ref>} lines sorted. The guard computes the same over what it receives,
 * so the option fits only the very updates it was made for; push options reach only the
 * server's hooks, never other users.
 *
 * <pre>{@code
 * String option = GateSignature.option(secret, List.of(commit + " refs/heads/master"));
 * transport.setPushOptions(List.of(option));
 * }</pre>
 */
public final class GateSignature {
  /** The push option's name. */
  public static final String OPTION = "gantry-gate";

  private GateSignature() {}

  /** The push option for updates {@code newAndRef}, each {@code "<new-sha> <ref>"}. */
  public static String option(String secret, Collection<String> newAndRef) {
    List<String> sorted = newAndRef.stream().sorted().toList();
    String signed = OPTION + "\n" + String.join("\n", sorted) + "\n";
    return OPTION + "=" + Hmac.sign(secret, signed.getBytes(StandardCharsets.UTF_8));
  }
}
