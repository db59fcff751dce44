package dev.gantry.cloud.digitalocean.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.cloud.digitalocean.http.ApiTransport;
import dev.gantry.cloud.digitalocean.http.DigitalOceanException;
import dev.gantry.cloud.digitalocean.http.Pager;
import dev.gantry.cloud.digitalocean.http.Query;
import dev.gantry.cloud.digitalocean.model.Action;
import dev.gantry.cloud.digitalocean.model.Droplet;
import dev.gantry.cloud.digitalocean.model.DropletRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Droplets: create, list (every page, optionally by tag), get, delete, delete by tag, and
 * actions.
 *
 * <pre>{@code
 * Droplet d = client.droplets().create(new DropletRequest("web1", "sgp1", "s-1vcpu-1gb", "debian-12-x64", keys, tags, null, null));
 * }</pre>
 */
public final class Droplets {
  private final ApiTransport api;
  private final Pager pager;

  public Droplets(ApiTransport api) {
    this.api = api;
    this.pager = new Pager(api);
  }

  public List<Droplet> list() {
    return pager.all("listing droplets", "/v2/droplets", "droplets", Droplet.class);
  }

  public List<Droplet> listByTag(String tag) {
    return pager.all("listing droplets tagged '" + tag + "'", Query.with("/v2/droplets", "tag_name", tag),
        "droplets", Droplet.class);
  }

  /** Droplets called exactly {@code name} (names are not unique on DigitalOcean). */
  public List<Droplet> findByName(String name) {
    return pager.all("looking up droplet '" + name + "'", Query.with("/v2/droplets", "name", name), "droplets",
        Droplet.class).stream().filter(d -> d.name().equals(name)).toList();
  }

  public Droplet get(long id) {
    return read("reading droplet " + id, api.get("reading droplet " + id, "/v2/droplets/" + id));
  }

  /** Reads a droplet, or nothing when it no longer exists. */
  public Optional<Droplet> find(long id) {
    try {
      return Optional.of(get(id));
    } catch (DigitalOceanException e) {
      if (e.isNotFound()) {
        return Optional.empty();
      }
      throw e;
    }
  }

  /** Creates a droplet; it is {@code new} until its create action completes. */
  public CreatedDroplet create(DropletRequest request) {
    String what = "creating droplet '" + request.name() + "'";
    // a create is never sent twice on a server error: the first may have worked
    JsonNode body = api.post(what, "/v2/droplets", request, false);
    List<Long> actionIds = new ArrayList<>();
    for (JsonNode link : body.path("links").path("actions")) {
      if ("create".equals(link.path("rel").asText()) && link.path("id").canConvertToLong()) {
        actionIds.add(link.path("id").asLong());
      }
    }
    return new CreatedDroplet(read(what, body), CreatedDroplet.firstCreate(actionIds));
  }

  public void delete(long id) {
    api.delete("deleting droplet " + id, "/v2/droplets/" + id);
  }

  /** Deletes every droplet carrying {@code tag}. */
  public void deleteByTag(String tag) {
    api.delete("deleting droplets tagged '" + tag + "'", Query.with("/v2/droplets", "tag_name", tag));
  }

  /** Starts an action on a droplet; wait for it with {@link Actions#await}. */
  public Action act(long dropletId, DropletAction action) {
    String what = action.type() + " of droplet " + dropletId;
    JsonNode body = api.post(what, "/v2/droplets/" + dropletId + "/actions", action.body(), true);
    return Actions.read(api, what, body);
  }

  private Droplet read(String what, JsonNode body) {
    JsonNode d = body.path("droplet");
    if (!d.isObject()) {
      throw new DigitalOceanException(what, "the answer has no 'droplet' object", null);
    }
    return api.json().convertValue(d, Droplet.class);
  }
}
