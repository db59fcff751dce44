package dev.gantry.cloud.digitalocean.api;

import dev.gantry.cloud.digitalocean.http.ApiTransport;
import dev.gantry.cloud.digitalocean.http.Pager;
import dev.gantry.cloud.digitalocean.model.Action;
import dev.gantry.cloud.digitalocean.model.ReservedIp;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import dev.gantry.core.UserError;

/**
 * Reserved IPs: list, assign to a droplet, unassign.
 *
 * <pre>{@code
 * client.actions().await(client.reservedIps().assign("203.0.113.9", droplet.id()), timeout, p -> {});
 * }</pre>
 */
public final class ReservedIps {
  private static final Pattern IPV4 = Pattern.compile("((25[0-5]|2[0-4]\\d|1?\\d?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1?\\d?\\d)");
  private final ApiTransport api;

  public ReservedIps(ApiTransport api) {
    this.api = api;
  }

  private static void requireIpv4(String ip) {
    if (ip == null || !IPV4.matcher(ip).matches()) {
      throw new UserError("'" + ip + "' is not an IPv4 address (a reserved IP looks like 203.0.113.9)");
    }
  }

  public List<ReservedIp> list() {
    return new Pager(api).all("listing reserved IPs", "/v2/reserved_ips", "reserved_ips", ReservedIp.class);
  }

  public Action assign(String ip, long dropletId) {
    requireIpv4(ip);
    String what = "assigning reserved IP " + ip + " to droplet " + dropletId;
    return Actions.read(api, what, api.post(what, "/v2/reserved_ips/" + ip + "/actions",
        Map.of("type", "assign", "droplet_id", dropletId), true));
  }

  public Action unassign(String ip) {
    requireIpv4(ip);
    String what = "unassigning reserved IP " + ip;
    return Actions.read(api, what, api.post(what, "/v2/reserved_ips/" + ip + "/actions", Map.of("type", "unassign"), true));
  }
}
