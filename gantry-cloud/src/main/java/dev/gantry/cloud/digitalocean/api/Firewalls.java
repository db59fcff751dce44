package dev.gantry.cloud.digitalocean.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.cloud.digitalocean.http.ApiTransport;
import dev.gantry.cloud.digitalocean.http.DigitalOceanException;
import dev.gantry.cloud.digitalocean.http.Pager;
import dev.gantry.cloud.digitalocean.http.Query;
import dev.gantry.cloud.digitalocean.model.Firewall;
import java.util.List;

/**
 * Cloud firewalls: create, list, replace the rules (PUT sends the whole firewall), delete.
 *
 * <pre>{@code
 * Firewall fw = client.firewalls().create(new Firewall(null, "web", null, inbound, outbound, List.of(), List.of("web")));
 * }</pre>
 */
public final class Firewalls {
  private final ApiTransport api;

  public Firewalls(ApiTransport api) {
    this.api = api;
  }

  public List<Firewall> list() {
    return new Pager(api).all("listing firewalls", "/v2/firewalls", "firewalls", Firewall.class);
  }

  public Firewall create(Firewall firewall) {
    String what = "creating firewall '" + firewall.name() + "'";
    return read(what, api.post(what, "/v2/firewalls", withoutServerFields(firewall), false));
  }

  /** Replaces the firewall's name, rules, droplets and tags with those given. */
  public Firewall update(String id, Firewall firewall) {
    String what = "updating firewall '" + firewall.name() + "'";
    return read(what, api.put(what, "/v2/firewalls/" + Query.segment(id), withoutServerFields(firewall)));
  }

  public void delete(String id) {
    api.delete("deleting firewall " + id, "/v2/firewalls/" + Query.segment(id));
  }

  private static Firewall withoutServerFields(Firewall f) {
    return new Firewall(null, f.name(), null, f.inboundRules(), f.outboundRules(), f.dropletIds(), f.tags());
  }

  private Firewall read(String what, JsonNode body) {
    JsonNode f = body.path("firewall");
    if (!f.isObject()) {
      throw new DigitalOceanException(what, "the answer has no 'firewall' object", null);
    }
    return api.json().convertValue(f, Firewall.class);
  }
}
