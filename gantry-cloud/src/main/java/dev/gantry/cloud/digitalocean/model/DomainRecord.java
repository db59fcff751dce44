package dev.gantry.cloud.digitalocean.model;

/**
 * A DNS record; {@code id} is null when creating. {@code name} is relative to the zone
 * ({@code "@"} for the apex).
 *
 * <pre>{@code
 * DomainRecord.a("www", "203.0.113.7", 1800)
 * }</pre>
 */
public record DomainRecord(Long id, String type, String name, String data, Integer priority, Integer port,
    Integer ttl, Integer weight) {
  public static DomainRecord a(String name, String ipv4, int ttl) {
    return new DomainRecord(null, "A", name, ipv4, null, null, ttl, null);
  }

  public static DomainRecord cname(String name, String target, int ttl) {
    return new DomainRecord(null, "CNAME", name, target, null, null, ttl, null);
  }
}
