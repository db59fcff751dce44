package dev.gantry.cloud.digitalocean.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.cloud.digitalocean.http.ApiTransport;
import dev.gantry.cloud.digitalocean.http.DigitalOceanException;
import dev.gantry.cloud.digitalocean.http.Pager;
import dev.gantry.cloud.digitalocean.http.Query;
import dev.gantry.cloud.digitalocean.model.Action;
import dev.gantry.cloud.digitalocean.model.Volume;
import dev.gantry.cloud.digitalocean.model.VolumeRequest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Block storage volumes: create, list, delete, attach to and detach from droplets.
 *
 * <pre>{@code
 * Volume v = client.volumes().create(new VolumeRequest("events", 10, "sgp1", null, "ext4", List.of()));
 * client.actions().await(client.volumes().attach(v.id(), droplet.id(), "sgp1"), timeout, p -> {});
 * }</pre>
 */
public final class Volumes {
  private final ApiTransport api;

  public Volumes(ApiTransport api) {
    this.api = api;
  }

  public List<Volume> list() {
    return new Pager(api).all("listing volumes", "/v2/volumes", "volumes", Volume.class);
  }

  public Volume create(VolumeRequest request) {
    String what = "creating volume '" + request.name() + "'";
    JsonNode v = api.post(what, "/v2/volumes", request, false).path("volume");
    if (!v.isObject()) {
      throw new DigitalOceanException(what, "the answer has no 'volume' object", null);
    }
    return api.json().convertValue(v, Volume.class);
  }

  public Volume get(String id) {
    String what = "reading volume " + id;
    return api.json().convertValue(api.get(what, "/v2/volumes/" + Query.segment(id)).path("volume"), Volume.class);
  }

  public void delete(String id) {
    api.delete("deleting volume " + id, "/v2/volumes/" + Query.segment(id));
  }

  public Action attach(String volumeId, long dropletId, String region) {
    return act(volumeId, "attach", dropletId, region);
  }

  public Action detach(String volumeId, long dropletId, String region) {
    return act(volumeId, "detach", dropletId, region);
  }

  private Action act(String volumeId, String type, long dropletId, String region) {
    String what = type + " of volume " + volumeId + " to droplet " + dropletId;
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("type", type);
    body.put("droplet_id", dropletId);
    body.put("region", region);
    return Actions.read(api, what, api.post(what, "/v2/volumes/" + Query.segment(volumeId) + "/actions", body, true));
  }
}
