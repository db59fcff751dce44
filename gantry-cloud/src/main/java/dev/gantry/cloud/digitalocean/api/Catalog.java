package dev.gantry.cloud.digitalocean.api;

import dev.gantry.cloud.digitalocean.http.ApiTransport;
import dev.gantry.cloud.digitalocean.http.Pager;
import dev.gantry.cloud.digitalocean.http.Query;
import dev.gantry.cloud.digitalocean.model.Image;
import dev.gantry.cloud.digitalocean.model.Region;
import dev.gantry.cloud.digitalocean.model.Size;
import java.util.List;

/**
 * What droplets can be made of: regions, sizes, images.
 *
 * <pre>{@code
 * List<Image> distros = client.catalog().images("distribution");
 * }</pre>
 */
public final class Catalog {
  private final Pager pager;

  public Catalog(ApiTransport api) {
    this.pager = new Pager(api);
  }

  public List<Region> regions() {
    return pager.all("listing regions", "/v2/regions", "regions", Region.class);
  }

  public List<Size> sizes() {
    return pager.all("listing sizes", "/v2/sizes", "sizes", Size.class);
  }

  /** All images, or those of a type: {@code distribution} or {@code application}. */
  public List<Image> images(String type) {
    String path = type == null ? "/v2/images" : Query.with("/v2/images", "type", type);
    return pager.all("listing images", path, "images", Image.class);
  }

  /** The account's own snapshots and backups. */
  public List<Image> privateImages() {
    return pager.all("listing private images", Query.with("/v2/images", "private", "true"), "images", Image.class);
  }
}
