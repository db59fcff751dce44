package dev.gantry.deploy.release;

import dev.gantry.core.UserError;
import dev.gantry.deploy.model.GantrySystem;
import dev.gantry.deploy.model.Service;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The image tag each service of a system runs at. Written as one tag for every service
 * ({@code abc123f}), per service ({@code app=abc123f,db=9f0e1d2}), or a default with
 * overrides ({@code abc123f,db=9f0e1d2}). Services whose image pins a tag keep it.
 *
 * <pre>{@code
 * Release r = Release.parse("abc123f", system);
 * String image = r.image(system.service("app").orElseThrow()); // "capital/app:abc123f"
 * }</pre>
 *
 * @param tags service name to tag, for services without a pinned tag, in service order
 */
public record Release(Map<String, String> tags) {
  private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");

  public Release {
    tags = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(tags));
  }

  /** Parses a release spec for {@code system}; unknown services and bad tags are user errors. */
  public static Release parse(String spec, GantrySystem system) {
    if (spec == null || spec.isBlank()) {
      throw new UserError("release for system '" + system.name() + "' is empty");
    }
    String fallback = null;
    Map<String, String> explicit = new LinkedHashMap<>();
    for (String item : spec.split(",")) {
      String it = item.trim();
      int eq = it.indexOf('=');
      if (eq < 0) {
        if (fallback != null) {
          throw new UserError("release '" + spec + "' names two default tags: '" + fallback + "' and '" + it + "'");
        }
        fallback = checkTag(it, spec);
      } else {
        String svc = it.substring(0, eq).trim();
        if (system.service(svc).isEmpty()) {
          throw new UserError("release '" + spec + "' names unknown service '" + svc + "' of system '"
              + system.name() + "' (services: " + String.join(", ", system.services().stream().map(Service::name).toList()) + ")");
        }
        explicit.put(svc, checkTag(it.substring(eq + 1).trim(), spec));
      }
    }
    Map<String, String> tags = new LinkedHashMap<>();
    for (Service s : system.services()) {
      String t = explicit.getOrDefault(s.name(), s.hasFixedTag() ? null : fallback);
      if (t == null && !s.hasFixedTag()) {
        throw new UserError("release '" + spec + "' gives no tag for service '" + s.name() + "'");
      }
      if (t != null) {
        tags.put(s.name(), t);
      }
    }
    return new Release(tags);
  }

  /** Rebuilds a release from recorded tags, e.g. from the ledger. */
  public static Release of(Map<String, String> tags) {
    return new Release(tags);
  }

  /** The full image reference a service runs at in this release. */
  public String image(Service s) {
    String tag = tags.get(s.name());
    if (tag == null || s.hasFixedTag()) {
      if (!s.hasFixedTag()) {
        throw new UserError("release " + label() + " has no tag for service '" + s.name() + "'");
      }
      return s.image();
    }
    return s.image() + ":" + tag;
  }

  /** One tag when all services share it, else {@code app=abc,db=def}. */
  public String label() {
    Set<String> distinct = new LinkedHashSet<>(tags.values());
    if (distinct.size() == 1) {
      return distinct.iterator().next();
    }
    StringBuilder b = new StringBuilder();
    tags.forEach((k, v) -> b.append(b.isEmpty() ? "" : ",").append(k).append('=').append(v));
    return b.isEmpty() ? "pinned" : b.toString();
  }

  private static String checkTag(String tag, String spec) {
    if (!TAG.matcher(tag).matches()) {
      throw new UserError("release '" + spec + "': '" + tag + "' is not a valid image tag");
    }
    return tag;
  }

  @Override
  public String toString() {
    return label();
  }
}
