package dev.gantry.core.infra;

import dev.gantry.core.UserError;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which hosts a command acts on: names or glob patterns ({@code web*}, {@code db-?}), every
 * host of a role or carrying a tag, or all of them. A host chosen several ways counts
 * once; hosts come in the definition's order. Each name, pattern, role and tag must match
 * at least one host, so a typo is an error rather than a host silently left out.
 *
 * <pre>{@code
 * HostSelection s = new HostSelection(List.of("web*"), List.of("db"), List.of(), false);
 * List<HostSpec> hosts = s.select(infra);
 * }</pre>
 */
public record HostSelection(List<String> patterns, List<String> roles, List<String> tags, boolean all) {
  public HostSelection {
    patterns = List.copyOf(patterns);
    roles = List.copyOf(roles);
    tags = List.copyOf(tags);
  }

  /** Exactly these hosts, by name or pattern. */
  public static HostSelection of(List<String> patterns) {
    return new HostSelection(patterns, List.of(), List.of(), false);
  }

  public boolean isEmpty() {
    return !all && patterns.isEmpty() && roles.isEmpty() && tags.isEmpty();
  }

  /** The chosen hosts, or a {@link UserError} naming the selector that matched nothing. */
  public List<HostSpec> select(Infrastructure infra) {
    if (isEmpty()) {
      throw new UserError("name at least one host (a name or a pattern such as 'web*'), or choose hosts with"
          + " --role ROLE, --tag TAG or --all");
    }
    List<HostSpec> hosts = infra.hosts();
    Set<String> chosen = new LinkedHashSet<>();
    for (String p : patterns) {
      if (!isPattern(p)) {
        chosen.add(infra.requireHost(p).name());
        continue;
      }
      Pattern glob = glob(p);
      List<String> hit = hosts.stream().map(HostSpec::name).filter(n -> glob.matcher(n).matches()).toList();
      if (hit.isEmpty()) {
        throw new UserError("no host matches '" + p + "'; the definition declares: " + names(hosts));
      }
      chosen.addAll(hit);
    }
    for (String r : roles) {
      List<String> hit = hosts.stream().filter(h -> h.role().equals(r)).map(HostSpec::name).toList();
      if (hit.isEmpty()) {
        throw new UserError("no host has the role '" + r + "'; roles in the definition: "
            + known(hosts.stream().map(HostSpec::role).filter(x -> !x.isEmpty()).toList()));
      }
      chosen.addAll(hit);
    }
    for (String t : tags) {
      List<String> hit = hosts.stream().filter(h -> h.tags().contains(t)).map(HostSpec::name).toList();
      if (hit.isEmpty()) {
        throw new UserError("no host has the tag '" + t + "'; tags in the definition: "
            + known(hosts.stream().flatMap(h -> h.tags().stream()).toList()));
      }
      chosen.addAll(hit);
    }
    if (all) {
      if (hosts.isEmpty()) {
        throw new UserError("--all: the definition declares no hosts");
      }
      hosts.forEach(h -> chosen.add(h.name()));
    }
    List<HostSpec> out = new ArrayList<>();
    for (HostSpec h : hosts) {
      if (chosen.contains(h.name())) {
        out.add(h);
      }
    }
    return out;
  }

  static boolean isPattern(String s) {
    return s.indexOf('*') >= 0 || s.indexOf('?') >= 0 || s.indexOf('[') >= 0;
  }

  /** A shell glob as a regular expression: {@code *} any run, {@code ?} one character, {@code [..]} a class. */
  static Pattern glob(String g) {
    StringBuilder re = new StringBuilder();
    for (int i = 0; i < g.length(); i++) {
      char c = g.charAt(i);
      switch (c) {
        case '*' -> re.append(".*");
        case '?' -> re.append('.');
        case '[' -> {
          int end = g.indexOf(']', i + 2);
          if (end < 0) {
            throw new UserError("host pattern '" + g + "': '[' at " + (i + 1) + " has no closing ']'");
          }
          String cls = g.substring(i + 1, end);
          boolean negated = cls.startsWith("!");
          String body = negated ? cls.substring(1) : cls;
          if (!body.matches("[A-Za-z0-9._-]+")) {
            throw new UserError("host pattern '" + g + "': [" + cls + "] may hold only letters, digits, '.', '_'"
                + " and ranges such as a-z");
          }
          re.append('[').append(negated ? "^" : "").append(body).append(']');
          i = end;
        }
        default -> re.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return Pattern.compile(re.toString());
  }

  private static String names(List<HostSpec> hosts) {
    return hosts.isEmpty() ? "no hosts" : String.join(", ", hosts.stream().map(HostSpec::name).toList());
  }

  private static String known(List<String> values) {
    List<String> distinct = values.stream().distinct().toList();
    return distinct.isEmpty() ? "none" : String.join(", ", distinct);
  }
}
