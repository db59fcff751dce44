package dev.gantry.monitor.engine;

import dev.gantry.monitor.client.Event;
import java.util.Map;
import java.util.Set;

/**
 * Gives back what Debian 12's collectd loses on the way: its {@code write_riemann} (collectd
 * 5.12.0-14 with libriemann-client 1.10.4) calls {@code riemann_event_set(..., TIME_MICROS, t)}
 * without the terminating {@code RIEMANN_EVENT_FIELD_NONE} (collectd issue #4050), so the
 * library reads a leftover register as one more field and overwrites it with an empty
 * string. About four events in ten arrive with an empty service (some with an empty state or
 * description, rarely an empty host), and without this a full disk raises no alert. The
 * attributes collectd adds to every value ({@code plugin}, {@code plugin_instance},
 * {@code type}, {@code type_instance}, {@code ds_name}) are written after the bad call and
 * arrive intact; the service is rebuilt from them as collectd names it:
 * {@code plugin[-instance]/type[-instance][/ds_name]}, the data source's name only for types
 * of several sources (its {@code AlwaysAppendDS false}, Gantry's setting). An emptied host
 * cannot be rebuilt: such a value is dropped (the next interval sends it again), since kept it
 * would be a host of its own, with its own disk-full and, once it expired, host-down alerts.
 *
 * <pre>{@code
 * Event fixed = CollectdRepair.repaired(event);   // the same instance when nothing was lost, null to drop
 * }</pre>
 */
public final class CollectdRepair {
  /** collectd's types.db types of one data source not named "value"; every other type of one source uses "value". */
  private static final Set<String> SINGLE_NAMED = Set.of("duration", "vf_broadcast", "vf_link_info", "vf_multicast");

  private CollectdRepair() {}

  /**
   * {@code e} with what collectd lost restored; {@code e} itself when it is not a damaged
   * collectd value; null when it is one whose host was lost.
   */
  public static Event repaired(Event e) {
    boolean noHost = e.host() == null || e.host().isEmpty();
    boolean noService = e.service() == null || e.service().isEmpty();
    boolean blankState = e.state() != null && e.state().isEmpty();
    boolean blankDescription = e.description() != null && e.description().isEmpty();
    if (!(noHost || noService || blankState || blankDescription)) {
      return e;
    }
    Map<String, String> a = e.attributes();
    String plugin = a.get("plugin");
    String type = a.get("type");
    if (plugin == null || type == null || !a.containsKey("ds_name") || !a.containsKey("ds_type")) {
      return e;
    }
    if (noHost) {
      return null;
    }
    Event.Builder b = e.toBuilder();
    if (noService) {
      b.service(serviceOf(a, plugin, type));
    }
    // collectd sends a value's event with neither: an empty one is the bug's
    if (blankState) {
      b.state(null);
    }
    if (blankDescription) {
      b.description(null);
    }
    return b.build();
  }

  static String serviceOf(Map<String, String> a, String plugin, String type) {
    StringBuilder s = new StringBuilder(plugin);
    appendInstance(s, a.get("plugin_instance"));
    s.append('/').append(type);
    appendInstance(s, a.get("type_instance"));
    String ds = a.get("ds_name");
    boolean severalSources = !"0".equals(a.getOrDefault("ds_index", "0"))
        || !("value".equals(ds) || SINGLE_NAMED.contains(type));
    if (severalSources) {
      s.append('/').append(ds);
    }
    return s.toString();
  }

  private static void appendInstance(StringBuilder s, String instance) {
    if (instance != null && !instance.isEmpty()) {
      s.append('-').append(instance);
    }
  }
}
