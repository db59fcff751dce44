package dev.gantry.cloud.digitalocean.model;

import java.util.List;

/**
 * A cloud firewall: rules apply to the droplets listed and to droplets carrying the tags.
 * {@code id} and {@code status} come from the API; leave them null when creating.
 *
 * <pre>{@code
 * new Firewall(null, "web", null, List.of(FirewallRule.inbound("tcp", "22", Targets.addresses("0.0.0.0/0"))),
 *     List.of(), List.of(), List.of("web"));
 * }</pre>
 */
public record Firewall(String id, String name, String status, List<InboundRule> inboundRules,
    List<OutboundRule> outboundRules, List<Long> dropletIds, List<String> tags) {
  public Firewall {
    inboundRules = inboundRules == null ? List.of() : List.copyOf(inboundRules);
    outboundRules = outboundRules == null ? List.of() : List.copyOf(outboundRules);
    dropletIds = dropletIds == null ? List.of() : List.copyOf(dropletIds);
    tags = tags == null ? List.of() : List.copyOf(tags);
  }

  /** Traffic allowed in: protocol {@code tcp}/{@code udp}/{@code icmp}, ports like {@code "22"} or {@code "8000-9000"}. */
  public record InboundRule(String protocol, String ports, Targets sources) {}

  /** Traffic allowed out. */
  public record OutboundRule(String protocol, String ports, Targets destinations) {}

  /** Where traffic comes from or goes to. */
  public record Targets(List<String> addresses, List<Long> dropletIds, List<String> tags) {
    public static Targets addresses(String... cidrs) {
      return new Targets(List.of(cidrs), null, null);
    }

    public static Targets tags(String... tags) {
      return new Targets(null, null, List.of(tags));
    }
  }
}
