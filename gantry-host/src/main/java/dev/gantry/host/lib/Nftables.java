package dev.gantry.host.lib;

import dev.gantry.core.definition.DefinitionError;
import dev.gantry.core.process.ProcessResult;
import dev.gantry.core.text.UnifiedDiff;
import dev.gantry.host.property.Check;
import dev.gantry.host.property.Info;
import dev.gantry.host.property.Property;
import dev.gantry.host.property.PropertyFailure;
import dev.gantry.host.property.Props;
import dev.gantry.core.target.FileAttrs;
import dev.gantry.core.target.Target;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The firewall as an nftables rules file ({@code /etc/nftables.conf}, loaded at boot by the
 * enabled {@code nftables} unit). {@link #allowingTcp} keeps its rules in a table of its own
 * ({@code inet gantry}) and replaces only that one, so Docker's tables survive a reload. A
 * ruleset that {@code nft -c} rejects is never installed.
 * Reload it now with {@code .onChange(Systemd.reloaded("nftables"))} on a booted host.
 *
 * <pre>{@code
 * Nftables.allowingTcp(22, 80, 443)
 * }</pre>
 */
public final class Nftables {
  public static final String CONF = "/etc/nftables.conf";

  private Nftables() {}

  /** A firewall that drops incoming traffic except loopback, ICMP, replies, and these TCP ports. */
  public static Property allowingTcp(int... ports) {
    for (int p : ports) {
      if (p < 1 || p > 65535) {
        throw new DefinitionError("port " + p + " is not in 1..65535");
      }
    }
    String list = Arrays.stream(ports).sorted().distinct().mapToObj(Integer::toString).collect(Collectors.joining(", "));
    // Gantry replaces its own table only: a "flush ruleset" would also remove Docker's NAT and
    // filter chains, cutting every container off the network until Docker restarts
    String rules = "#!/usr/sbin/nft -f\n# managed by gantry: only the table inet gantry is replaced\n"
        + "table inet gantry {}\ndelete table inet gantry\n\ntable inet gantry {\n"
        + "  chain input {\n    type filter hook input priority 0; policy drop;\n"
        + "    ct state established,related accept\n    ct state invalid drop\n    iif lo accept\n"
        + "    meta l4proto { icmp, icmpv6 } accept\n"
        + (ports.length == 0 ? "" : "    tcp dport { " + list + " } accept\n")
        + "  }\n  chain forward {\n    type filter hook forward priority 0; policy accept;\n  }\n"
        + "  chain output {\n    type filter hook output priority 0; policy accept;\n  }\n}\n";
    Property p = rules(rules).describedAs("firewall allows tcp " + (ports.length == 0 ? "nothing" : list));
    Info[] infos = Arrays.stream(ports).mapToObj(port -> new Info.PortOpened(port, "tcp")).toArray(Info[]::new);
    return Props.withInfo(p, infos);
  }

  /** {@code /etc/nftables.conf} has exactly {@code ruleset}, checked with {@code nft -c} first. */
  public static Property rules(String ruleset) {
    Property file = Props.checked("nftables rules in " + CONF, ctx -> {
      String old = ctx.target().readText(CONF).orElse(null);
      List<String> notes = new ArrayList<>();
      if (!ruleset.equals(old)) {
        notes.add((old == null ? "create " : "update ") + CONF);
      }
      notes.addAll(File.attrChanges(ctx.target(), CONF, FileAttrs.mode(0755)));
      return notes.isEmpty() ? Check.holds() : Check.change(String.join(", ", notes), UnifiedDiff.of(CONF, old, ruleset));
    }, (ctx, c) -> {
      validate(ctx.target(), ruleset);
      ctx.target().write(CONF, ruleset.getBytes(StandardCharsets.UTF_8), FileAttrs.mode(0755).withOwner("root", "root"));
    });
    return Props.sequence("nftables firewall", Apt.installed("nftables"), file, Systemd.enabled("nftables"));
  }

  private static void validate(Target t, String ruleset) {
    String tmp = "/etc/.nftables.conf.gantry-check";
    t.write(tmp, ruleset.getBytes(StandardCharsets.UTF_8), FileAttrs.mode(0600));
    try {
      ProcessResult r = t.run("nft", "-c", "-f", tmp);
      if (!r.ok()) {
        throw new PropertyFailure("nft -c rejects the ruleset (kept " + CONF + " as it was): " + r.tail());
      }
    } finally {
      t.run("rm", "-f", tmp);
    }
  }
}
