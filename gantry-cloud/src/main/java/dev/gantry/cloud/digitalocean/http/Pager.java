package dev.gantry.cloud.digitalocean.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JavaType;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads every page of a list by following {@code links.pages.next}. The next link is an
 * absolute URL on the API's host; only its path and query are used, on the transport's own
 * base, so the token is never sent anywhere else.
 *
 * <pre>{@code
 * List<Droplet> all = new Pager(api).all("listing droplets", "/v2/droplets", "droplets", Droplet.class);
 * }</pre>
 */
public final class Pager {
  /** The API's largest page. */
  public static final int PER_PAGE = 200;
  private static final int MAX_PAGES = 10_000;

  private final ApiTransport api;

  public Pager(ApiTransport api) {
    this.api = api;
  }

  /** All items under {@code key} across the pages of {@code path} (which may carry a query). */
  public <T> List<T> all(String what, String path, String key, Class<T> type) {
    JavaType itemType = api.json().getTypeFactory().constructType(type);
    List<T> out = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    String next = path + (path.contains("?") ? "&" : "?") + "per_page=" + PER_PAGE;
    while (next != null) {
      if (!seen.add(next) || seen.size() > MAX_PAGES) {
        throw new DigitalOceanException(what, "the API's next-page links go round in a loop at " + next, null);
      }
      JsonNode page = api.get(what, next);
      JsonNode items = page.path(key);
      if (!items.isArray()) {
        throw new DigitalOceanException(what, "the answer has no '" + key + "' list", null);
      }
      for (JsonNode item : items) {
        out.add(api.json().convertValue(item, itemType));
      }
      next = nextOf(what, page);
    }
    return out;
  }

  private static String nextOf(String what, JsonNode page) {
    JsonNode link = page.path("links").path("pages").path("next");
    if (!link.isTextual() || link.asText().isBlank()) {
      return null;
    }
    URI uri;
    try {
      uri = URI.create(link.asText());
    } catch (IllegalArgumentException e) {
      throw new DigitalOceanException(what, "the next-page link is not a URL: " + link.asText(), e);
    }
    String p = uri.getRawPath();
    if (p == null || !p.startsWith("/v2/")) {
      throw new DigitalOceanException(what, "the next-page link is not an API path: " + link.asText(), null);
    }
    return uri.getRawQuery() == null ? p : p + "?" + uri.getRawQuery();
  }
}
