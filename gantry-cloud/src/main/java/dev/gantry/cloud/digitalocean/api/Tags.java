package dev.gantry.cloud.digitalocean.api;

import dev.gantry.cloud.digitalocean.http.ApiTransport;
import dev.gantry.cloud.digitalocean.http.Pager;
import dev.gantry.cloud.digitalocean.http.Query;
import dev.gantry.cloud.digitalocean.model.Tag;
import java.util.List;
import java.util.Map;

/** Tags. <pre>{@code client.tags().create("env:prod");}</pre> */
public final class Tags {
  private final ApiTransport api;

  public Tags(ApiTransport api) {
    this.api = api;
  }

  public List<Tag> list() {
    return new Pager(api).all("listing tags", "/v2/tags", "tags", Tag.class);
  }

  /** Creates the tag; creating one that exists is harmless on DigitalOcean. */
  public Tag create(String name) {
    String what = "creating tag '" + name + "'";
    return api.json().convertValue(api.post(what, "/v2/tags", Map.of("name", name), true).path("tag"), Tag.class);
  }

  public void delete(String name) {
    api.delete("deleting tag '" + name + "'", "/v2/tags/" + Query.segment(name));
  }
}
