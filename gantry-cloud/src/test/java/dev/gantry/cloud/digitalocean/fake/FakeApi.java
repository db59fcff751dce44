package dev.gantry.cloud.digitalocean.fake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The resources behind {@link FakeDigitalOcean}: droplets, actions, keys, the catalogue,
 * tags, volumes, firewalls, domains and reserved IPs, answering as the API documents.
 * Actions stay {@code in-progress} for {@link #pollsPerAction(int)} reads, then complete and
 * take effect (a created droplet becomes active with its address).
 */
public final class FakeApi {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** An answer: status, JSON body (null for none), extra headers. */
  public record Reply(int status, JsonNode body, Map<String, String> headers) {
    Reply withHeaders(Map<String, String> more) {
      Map<String, String> h = new LinkedHashMap<>(headers);
      h.putAll(more);
      return new Reply(status, body, h);
    }
  }

  private interface Handler {
    Reply handle(Matcher path, Map<String, List<String>> query, JsonNode body);
  }

  private record Route(String method, Pattern path, Handler handler) {}

  private final String publicBase;
  private final List<Route> routes = new ArrayList<>();
  private final AtomicLong ids = new AtomicLong(3_000_000);
  private final Map<String, ObjectNode> regions = new LinkedHashMap<>();
  private final Map<String, ObjectNode> sizes = new LinkedHashMap<>();
  private final Map<String, ObjectNode> images = new LinkedHashMap<>();
  private final Map<Long, ObjectNode> droplets = new LinkedHashMap<>();
  private final Map<Long, ObjectNode> actions = new LinkedHashMap<>();
  private final Map<Long, Integer> pollsLeft = new HashMap<>();
  private final Map<Long, Runnable> onComplete = new HashMap<>();
  private final Map<Long, ObjectNode> keys = new LinkedHashMap<>();
  private final Map<String, ObjectNode> tags = new LinkedHashMap<>();
  private final Map<String, ObjectNode> volumes = new LinkedHashMap<>();
  private final Map<String, ObjectNode> firewalls = new LinkedHashMap<>();
  private final Map<String, ObjectNode> domains = new LinkedHashMap<>();
  private final Map<String, Map<Long, ObjectNode>> records = new LinkedHashMap<>();
  private final Map<String, ObjectNode> reservedIps = new LinkedHashMap<>();
  private int pollsPerAction = 2;
  private boolean actionsError;
  private String dropletAddress = "127.0.0.1";
  private int nextPublicAddress = 10;
  private boolean fixedAddress = true;

  FakeApi(String publicBase) {
    this.publicBase = publicBase;
    for (String[] r : new String[][] {{"sgp1", "Singapore 1"}, {"nyc3", "New York 3"}, {"fra1", "Frankfurt 1"},
        {"ams3", "Amsterdam 3"}, {"lon1", "London 1"}}) {
      ObjectNode region = JSON.createObjectNode().put("slug", r[0]).put("name", r[1]).put("available", true);
      region.putArray("features").add("backups").add("ipv6").add("metadata").add("install_agent");
      region.putArray("sizes").add("s-1vcpu-1gb").add("s-2vcpu-2gb").add("s-4vcpu-8gb");
      regions.put(r[0], region);
    }
    addSize("s-1vcpu-1gb", 1024, 1, 25, 6.0);
    addSize("s-2vcpu-2gb", 2048, 2, 60, 18.0);
    addSize("s-4vcpu-8gb", 8192, 4, 160, 48.0);
    addImage(7_001, "debian-12-x64", "12 x64", "Debian");
    addImage(7_002, "ubuntu-24-04-x64", "24.04 (LTS) x64", "Ubuntu");
    addImage(7_003, "debian-11-x64", "11 x64", "Debian");
    routes();
  }

  // ---- seeding and settings ----------------------------------------------------------

  /** How many reads an action stays in progress. */
  public synchronized FakeApi pollsPerAction(int n) {
    this.pollsPerAction = n;
    return this;
  }

  /** From now on actions end {@code errored} and take no effect. */
  public synchronized FakeApi actionsError() {
    this.actionsError = true;
    return this;
  }

  /** The address every droplet gets once active (loopback, so tests may connect to it). */
  public synchronized FakeApi dropletAddress(String ipv4) {
    this.dropletAddress = ipv4;
    this.fixedAddress = true;
    return this;
  }

  /** Droplets get distinct documentation addresses (203.0.113.x), never connected to. */
  public synchronized FakeApi distinctAddresses() {
    this.fixedAddress = false;
    return this;
  }

  /** Adds {@code n} droplets directly (already active), tagged as given. */
  public synchronized List<Long> seedDroplets(int n, String prefix, String tag) {
    List<Long> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ObjectNode d = newDroplet(prefix + "-" + i, "sgp1", "s-1vcpu-1gb", "debian-12-x64", tag == null ? List.of() : List.of(tag));
      activate(d);
      out.add(d.get("id").asLong());
    }
    return out;
  }

  /** Adds one active droplet called {@code name}, as if made outside Gantry. */
  public synchronized long seedNamed(String name) {
    ObjectNode d = newDroplet(name, "sgp1", "s-1vcpu-1gb", "debian-12-x64", List.of());
    activate(d);
    return d.get("id").asLong();
  }

  public synchronized FakeApi seedReservedIp(String ip, String region) {
    ObjectNode r = JSON.createObjectNode().put("ip", ip);
    r.set("region", regions.get(region).deepCopy());
    r.putNull("droplet");
    r.put("locked", false);
    r.put("project_id", "746c6152-2fa2-11ed-92d3-27aaa54e4988");
    reservedIps.put(ip, r);
    return this;
  }

  public synchronized int dropletCount() {
    return droplets.size();
  }

  public synchronized List<String> dropletNames() {
    return droplets.values().stream().map(d -> d.get("name").asText()).toList();
  }

  public synchronized ObjectNode reservedIp(String ip) {
    return reservedIps.get(ip).deepCopy();
  }

  public synchronized ObjectNode volume(String id) {
    return volumes.get(id).deepCopy();
  }

  // ---- dispatch ---------------------------------------------------------------------

  synchronized Reply handle(String method, String path, Map<String, List<String>> query, JsonNode body) {
    boolean pathKnown = false;
    for (Route r : routes) {
      Matcher m = r.path.matcher(path);
      if (m.matches()) {
        pathKnown = true;
        if (r.method.equals(method)) {
          return r.handler.handle(m, query, body);
        }
      }
    }
    return pathKnown ? error(405, "method_not_allowed", "Method not allowed.")
        : error(404, "not_found", "The resource you were accessing could not be found.");
  }

  private void route(String method, String regex, Handler h) {
    routes.add(new Route(method, Pattern.compile(regex), h));
  }

  private void routes() {
    route("GET", "/v2/droplets", (m, q, b) -> {
      List<ObjectNode> list = new ArrayList<>(droplets.values());
      String tag = first(q, "tag_name");
      String name = first(q, "name");
      if (tag != null) {
        list.removeIf(d -> !contains(d.get("tags"), tag));
      }
      if (name != null) {
        list.removeIf(d -> !d.get("name").asText().equalsIgnoreCase(name));
      }
      return page("/v2/droplets", "droplets", list, q);
    });
    route("POST", "/v2/droplets", (m, q, b) -> createDroplet(b));
    route("DELETE", "/v2/droplets", (m, q, b) -> {
      String tag = first(q, "tag_name");
      droplets.values().removeIf(d -> contains(d.get("tags"), tag));
      return noContent();
    });
    route("GET", "/v2/droplets/(\\d+)", (m, q, b) -> {
      ObjectNode d = droplets.get(Long.parseLong(m.group(1)));
      return d == null ? notFound() : ok(200, obj("droplet", d));
    });
    route("DELETE", "/v2/droplets/(\\d+)", (m, q, b) ->
        droplets.remove(Long.parseLong(m.group(1))) == null ? notFound() : noContent());
    route("POST", "/v2/droplets/(\\d+)/actions", (m, q, b) -> dropletAction(Long.parseLong(m.group(1)), b));
    route("GET", "/v2/actions/(\\d+)", (m, q, b) -> {
      long id = Long.parseLong(m.group(1));
      ObjectNode a = actions.get(id);
      if (a == null) {
        return notFound();
      }
      advance(id);
      return ok(200, obj("action", a));
    });
    route("GET", "/v2/account/keys", (m, q, b) -> page("/v2/account/keys", "ssh_keys", new ArrayList<>(keys.values()), q));
    route("POST", "/v2/account/keys", (m, q, b) -> createKey(b));
    route("DELETE", "/v2/account/keys/([^/]+)", (m, q, b) -> {
      String idOrFp = decode(m.group(1));
      return keys.values().removeIf(k -> k.get("fingerprint").asText().equals(idOrFp)
          || k.get("id").asText().equals(idOrFp)) ? noContent() : notFound();
    });
    route("GET", "/v2/regions", (m, q, b) -> page("/v2/regions", "regions", new ArrayList<>(regions.values()), q));
    route("GET", "/v2/sizes", (m, q, b) -> page("/v2/sizes", "sizes", new ArrayList<>(sizes.values()), q));
    route("GET", "/v2/images", (m, q, b) -> {
      List<ObjectNode> list = new ArrayList<>(images.values());
      if ("true".equals(first(q, "private"))) {
        list.clear();
      }
      return page("/v2/images", "images", list, q);
    });
    route("GET", "/v2/tags", (m, q, b) -> page("/v2/tags", "tags", new ArrayList<>(tags.values()), q));
    route("POST", "/v2/tags", (m, q, b) -> {
      String name = b.get("name").asText();
      ObjectNode tag = tags.computeIfAbsent(name, this::newTag);
      return ok(201, obj("tag", tag));
    });
    route("DELETE", "/v2/tags/([^/]+)", (m, q, b) -> tags.remove(decode(m.group(1))) == null ? notFound() : noContent());
    route("GET", "/v2/volumes", (m, q, b) -> page("/v2/volumes", "volumes", new ArrayList<>(volumes.values()), q));
    route("POST", "/v2/volumes", (m, q, b) -> createVolume(b));
    route("GET", "/v2/volumes/([^/]+)", (m, q, b) -> {
      ObjectNode v = volumes.get(decode(m.group(1)));
      return v == null ? notFound() : ok(200, obj("volume", v));
    });
    route("DELETE", "/v2/volumes/([^/]+)", (m, q, b) -> volumes.remove(decode(m.group(1))) == null ? notFound() : noContent());
    route("POST", "/v2/volumes/([^/]+)/actions", (m, q, b) -> volumeAction(decode(m.group(1)), b));
    route("GET", "/v2/firewalls", (m, q, b) -> page("/v2/firewalls", "firewalls", new ArrayList<>(firewalls.values()), q));
    route("POST", "/v2/firewalls", (m, q, b) -> saveFirewall(UUID.randomUUID().toString(), b, 202));
    route("PUT", "/v2/firewalls/([^/]+)", (m, q, b) ->
        firewalls.containsKey(m.group(1)) ? saveFirewall(m.group(1), b, 200) : notFound());
    route("DELETE", "/v2/firewalls/([^/]+)", (m, q, b) -> firewalls.remove(m.group(1)) == null ? notFound() : noContent());
    route("GET", "/v2/domains", (m, q, b) -> page("/v2/domains", "domains", new ArrayList<>(domains.values()), q));
    route("POST", "/v2/domains", (m, q, b) -> createDomain(b));
    route("DELETE", "/v2/domains/([^/]+)", (m, q, b) -> {
      String name = decode(m.group(1));
      records.remove(name);
      return domains.remove(name) == null ? notFound() : noContent();
    });
    route("GET", "/v2/domains/([^/]+)/records", (m, q, b) -> {
      Map<Long, ObjectNode> rs = records.get(decode(m.group(1)));
      return rs == null ? notFound() : page("/v2/domains/" + m.group(1) + "/records", "domain_records", new ArrayList<>(rs.values()), q);
    });
    route("POST", "/v2/domains/([^/]+)/records", (m, q, b) -> saveRecord(decode(m.group(1)), null, b, 201));
    route("PUT", "/v2/domains/([^/]+)/records/(\\d+)", (m, q, b) ->
        saveRecord(decode(m.group(1)), Long.parseLong(m.group(2)), b, 200));
    route("DELETE", "/v2/domains/([^/]+)/records/(\\d+)", (m, q, b) -> {
      Map<Long, ObjectNode> rs = records.get(decode(m.group(1)));
      return rs == null || rs.remove(Long.parseLong(m.group(2))) == null ? notFound() : noContent();
    });
    route("GET", "/v2/reserved_ips", (m, q, b) -> page("/v2/reserved_ips", "reserved_ips", new ArrayList<>(reservedIps.values()), q));
    route("POST", "/v2/reserved_ips/([^/]+)/actions", (m, q, b) -> reservedIpAction(m.group(1), b));
  }

  // ---- droplets and actions ---------------------------------------------------------

  private Reply createDroplet(JsonNode b) {
    String name = b.path("name").asText();
    String region = b.path("region").asText(null);
    String size = b.path("size").asText();
    String image = b.path("image").asText();
    if (region != null && !regions.containsKey(region)) {
      return error(422, "unprocessable_entity", "You specified an invalid region for Droplet creation.");
    }
    if (!sizes.containsKey(size)) {
      return error(422, "unprocessable_entity", "You specified an invalid size for Droplet creation.");
    }
    if (!images.containsKey(image)) {
      return error(422, "unprocessable_entity", "You specified an invalid image for Droplet creation.");
    }
    for (JsonNode k : b.path("ssh_keys")) {
      if (keys.values().stream().noneMatch(key -> key.get("fingerprint").asText().equals(k.asText())
          || key.get("id").asText().equals(k.asText()))) {
        return error(422, "unprocessable_entity", "You specified an invalid SSH key: " + k.asText());
      }
    }
    List<String> tagList = new ArrayList<>();
    b.path("tags").forEach(t -> tagList.add(t.asText()));
    ObjectNode d = newDroplet(name, region == null ? "sgp1" : region, size, image, tagList);
    long dropletId = d.get("id").asLong();
    long actionId = newAction("create", dropletId, "droplet", d.get("region").get("slug").asText(), () -> activate(d));
    ObjectNode out = obj("droplet", d);
    ObjectNode link = out.putObject("links").putArray("actions").addObject();
    link.put("id", actionId).put("rel", "create").put("href", publicBase + "/v2/actions/" + actionId);
    return ok(202, out);
  }

  private ObjectNode newDroplet(String name, String region, String size, String image, List<String> tagList) {
    long id = ids.incrementAndGet();
    ObjectNode s = sizes.get(size);
    ObjectNode d = JSON.createObjectNode().put("id", id).put("name", name)
        .put("memory", s.get("memory").asInt()).put("vcpus", s.get("vcpus").asInt()).put("disk", s.get("disk").asInt())
        .put("locked", false).put("status", "new").put("created_at", now());
    d.putArray("features").add("monitoring");
    d.putArray("backup_ids");
    d.putNull("next_backup_window");
    d.putArray("snapshot_ids");
    d.set("image", images.get(image).deepCopy());
    d.putArray("volume_ids");
    d.set("size", s.deepCopy());
    d.put("size_slug", size);
    ObjectNode networks = d.putObject("networks");
    networks.putArray("v4");
    networks.putArray("v6");
    d.set("region", regions.get(region).deepCopy());
    ArrayNode t = d.putArray("tags");
    tagList.forEach(t::add);
    d.put("vpc_uuid", "760e09ef-dc84-11e8-981e-3cfdfeaae000");
    droplets.put(id, d);
    return d;
  }

  private void activate(ObjectNode d) {
    d.put("status", "active");
    ArrayNode v4 = (ArrayNode) d.get("networks").get("v4");
    if (v4.isEmpty()) {
      String ip = fixedAddress ? dropletAddress : "203.0.113." + (nextPublicAddress++ % 250 + 2);
      v4.addObject().put("ip_address", ip).put("netmask", "255.255.255.0").put("gateway", "203.0.113.1").put("type", "public");
      v4.addObject().put("ip_address", "10.130.0.2").put("netmask", "255.255.0.0").put("gateway", "10.130.0.1").put("type", "private");
    }
  }

  private Reply dropletAction(long id, JsonNode b) {
    ObjectNode d = droplets.get(id);
    if (d == null) {
      return notFound();
    }
    String type = b.path("type").asText();
    Runnable effect = switch (type) {
      case "power_on", "reboot", "power_cycle" -> () -> d.put("status", "active");
      case "power_off", "shutdown" -> () -> d.put("status", "off");
      case "rename" -> () -> d.put("name", b.path("name").asText());
      case "resize" -> {
        String size = b.path("size").asText();
        if (!sizes.containsKey(size)) {
          yield null;
        }
        yield () -> {
          d.put("size_slug", size);
          d.set("size", sizes.get(size).deepCopy());
        };
      }
      case "snapshot", "rebuild" -> () -> { };
      default -> null;
    };
    if (effect == null) {
      return error(422, "unprocessable_entity", "The action '" + type + "' cannot be done with these arguments.");
    }
    long actionId = newAction(type, id, "droplet", d.get("region").get("slug").asText(), effect);
    return ok(201, obj("action", actions.get(actionId)));
  }

  private long newAction(String type, Long resourceId, String resourceType, String region, Runnable effect) {
    long id = ids.incrementAndGet();
    ObjectNode a = JSON.createObjectNode().put("id", id).put("status", "in-progress").put("type", type)
        .put("started_at", now());
    a.putNull("completed_at");
    if (resourceId == null) {
      a.putNull("resource_id");
    } else {
      a.put("resource_id", resourceId);
    }
    a.put("resource_type", resourceType);
    a.set("region", regions.get(region).deepCopy());
    a.put("region_slug", region);
    actions.put(id, a);
    pollsLeft.put(id, pollsPerAction);
    onComplete.put(id, effect);
    if (pollsPerAction == 0) {
      complete(id);
    }
    return id;
  }

  private void advance(long id) {
    Integer left = pollsLeft.get(id);
    if (left == null) {
      return;
    }
    if (left <= 1) {
      complete(id);
    } else {
      pollsLeft.put(id, left - 1);
    }
  }

  private void complete(long id) {
    pollsLeft.remove(id);
    ObjectNode a = actions.get(id);
    a.put("status", actionsError ? "errored" : "completed").put("completed_at", now());
    Runnable effect = onComplete.remove(id);
    if (effect != null && !actionsError) {
      effect.run();
    }
  }

  // ---- other resources --------------------------------------------------------------

  private Reply createKey(JsonNode b) {
    String publicKey = b.path("public_key").asText().strip();
    String[] parts = publicKey.split("\\s+");
    byte[] blob;
    try {
      blob = Base64.getDecoder().decode(parts.length > 1 ? parts[1] : "");
    } catch (IllegalArgumentException e) {
      blob = new byte[0];
    }
    if (parts.length < 2 || blob.length == 0) {
      return error(422, "unprocessable_entity", "Key invalid type, we support 'ssh-rsa', 'ssh-ed25519', and 'ecdsa-sha2-nistp*' keys.");
    }
    String fingerprint = md5Fingerprint(blob);
    if (keys.values().stream().anyMatch(k -> k.get("fingerprint").asText().equals(fingerprint))) {
      return error(422, "unprocessable_entity", "SSH Key is already in use on your account");
    }
    long id = ids.incrementAndGet();
    ObjectNode k = JSON.createObjectNode().put("id", id).put("fingerprint", fingerprint)
        .put("public_key", publicKey).put("name", b.path("name").asText());
    keys.put(id, k);
    return ok(201, obj("ssh_key", k));
  }

  private ObjectNode newTag(String name) {
    ObjectNode t = JSON.createObjectNode().put("name", name);
    ObjectNode res = t.putObject("resources");
    res.put("count", 0);
    return t;
  }

  private Reply createVolume(JsonNode b) {
    String region = b.path("region").asText();
    if (!regions.containsKey(region)) {
      return error(422, "unprocessable_entity", "You specified an invalid region for volume creation.");
    }
    String id = UUID.randomUUID().toString();
    ObjectNode v = JSON.createObjectNode().put("id", id);
    v.putArray("droplet_ids");
    v.put("name", b.path("name").asText()).put("description", b.path("description").asText(""))
        .put("size_gigabytes", b.path("size_gigabytes").asLong()).put("created_at", now());
    v.set("region", regions.get(region).deepCopy());
    v.put("filesystem_type", b.path("filesystem_type").asText(""));
    v.put("filesystem_label", b.path("filesystem_label").asText(""));
    ArrayNode t = v.putArray("tags");
    b.path("tags").forEach(t::add);
    volumes.put(id, v);
    return ok(201, obj("volume", v));
  }

  private Reply volumeAction(String id, JsonNode b) {
    ObjectNode v = volumes.get(id);
    if (v == null) {
      return notFound();
    }
    String type = b.path("type").asText();
    long dropletId = b.path("droplet_id").asLong();
    ObjectNode d = droplets.get(dropletId);
    if (d == null) {
      return error(422, "unprocessable_entity", "Droplet " + dropletId + " does not exist.");
    }
    Runnable effect;
    if (type.equals("attach")) {
      effect = () -> {
        ((ArrayNode) v.get("droplet_ids")).add(dropletId);
        ((ArrayNode) d.get("volume_ids")).add(id);
      };
    } else if (type.equals("detach")) {
      effect = () -> {
        removeValue((ArrayNode) v.get("droplet_ids"), String.valueOf(dropletId));
        removeValue((ArrayNode) d.get("volume_ids"), id);
      };
    } else {
      return error(422, "unprocessable_entity", "Unsupported volume action '" + type + "'.");
    }
    long actionId = newAction(type.equals("attach") ? "attach_volume" : "detach_volume", null, "volume",
        v.get("region").get("slug").asText(), effect);
    return ok(202, obj("action", actions.get(actionId)));
  }

  private Reply saveFirewall(String id, JsonNode b, int status) {
    ObjectNode f = JSON.createObjectNode().put("id", id).put("status", "succeeded").put("created_at", now());
    f.putArray("pending_changes");
    f.put("name", b.path("name").asText());
    f.set("inbound_rules", b.has("inbound_rules") ? b.get("inbound_rules").deepCopy() : JSON.createArrayNode());
    f.set("outbound_rules", b.has("outbound_rules") ? b.get("outbound_rules").deepCopy() : JSON.createArrayNode());
    f.set("droplet_ids", b.has("droplet_ids") ? b.get("droplet_ids").deepCopy() : JSON.createArrayNode());
    f.set("tags", b.has("tags") ? b.get("tags").deepCopy() : JSON.createArrayNode());
    if (status == 202 && firewalls.values().stream().anyMatch(o -> o.get("name").asText().equals(f.get("name").asText()))) {
      return error(409, "conflict", "A firewall named '" + f.get("name").asText() + "' already exists.");
    }
    firewalls.put(id, f);
    return ok(status, obj("firewall", f));
  }

  private Reply createDomain(JsonNode b) {
    String name = b.path("name").asText();
    if (domains.containsKey(name)) {
      return error(422, "unprocessable_entity", "Name already exists");
    }
    ObjectNode d = JSON.createObjectNode().put("name", name).put("ttl", 1800).put("zone_file", "");
    domains.put(name, d);
    Map<Long, ObjectNode> rs = new LinkedHashMap<>();
    records.put(name, rs);
    if (b.hasNonNull("ip_address")) {
      long rid = ids.incrementAndGet();
      rs.put(rid, JSON.createObjectNode().put("id", rid).put("type", "A").put("name", "@")
          .put("data", b.get("ip_address").asText()).putNull("priority").putNull("port").put("ttl", 1800)
          .putNull("weight").putNull("flags").putNull("tag"));
    }
    return ok(201, obj("domain", d));
  }

  private Reply saveRecord(String domain, Long id, JsonNode b, int status) {
    Map<Long, ObjectNode> rs = records.get(domain);
    if (rs == null || (id != null && !rs.containsKey(id))) {
      return notFound();
    }
    String type = b.path("type").asText();
    if (!List.of("A", "AAAA", "CAA", "CNAME", "MX", "NS", "SOA", "SRV", "TXT").contains(type)) {
      return error(422, "unprocessable_entity", "Type is not a valid record type");
    }
    long rid = id == null ? ids.incrementAndGet() : id;
    ObjectNode r = JSON.createObjectNode().put("id", rid).put("type", type).put("name", b.path("name").asText())
        .put("data", b.path("data").asText());
    for (String f : List.of("priority", "port", "weight", "flags")) {
      if (b.hasNonNull(f)) {
        r.put(f, b.get(f).asInt());
      } else {
        r.putNull(f);
      }
    }
    r.put("ttl", b.path("ttl").asInt(1800));
    r.putNull("tag");
    rs.put(rid, r);
    return ok(status, obj("domain_record", r));
  }

  private Reply reservedIpAction(String ip, JsonNode b) {
    ObjectNode r = reservedIps.get(ip);
    if (r == null) {
      return notFound();
    }
    String type = b.path("type").asText();
    Runnable effect;
    Long resource;
    if (type.equals("assign")) {
      ObjectNode d = droplets.get(b.path("droplet_id").asLong());
      if (d == null) {
        return error(422, "unprocessable_entity", "Droplet " + b.path("droplet_id").asLong() + " does not exist.");
      }
      resource = d.get("id").asLong();
      effect = () -> r.set("droplet", d.deepCopy());
    } else {
      resource = null;
      effect = () -> r.putNull("droplet");
    }
    long actionId = newAction(type + "_ip", resource, "reserved_ip", r.get("region").get("slug").asText(), effect);
    return ok(201, obj("action", actions.get(actionId)));
  }

  // ---- helpers ----------------------------------------------------------------------

  private Reply page(String path, String key, List<ObjectNode> items, Map<String, List<String>> q) {
    int perPage = Integer.parseInt(first(q, "per_page") == null ? "20" : first(q, "per_page"));
    int pageNo = Integer.parseInt(first(q, "page") == null ? "1" : first(q, "page"));
    int last = Math.max(1, (items.size() + perPage - 1) / perPage);
    ObjectNode out = JSON.createObjectNode();
    ArrayNode arr = out.putArray(key);
    items.stream().skip((long) (pageNo - 1) * perPage).limit(perPage).forEach(arr::add);
    ObjectNode pages = out.putObject("links").putObject("pages");
    StringBuilder extra = new StringBuilder();
    q.forEach((k, v) -> {
      if (!k.equals("page") && !k.equals("per_page")) {
        extra.append('&').append(k).append('=').append(java.net.URLEncoder.encode(v.get(0), StandardCharsets.UTF_8));
      }
    });
    String base = publicBase + path + "?per_page=" + perPage + extra + "&page=";
    if (pageNo < last) {
      pages.put("last", base + last).put("next", base + (pageNo + 1));
    }
    if (pageNo > 1) {
      pages.put("first", base + 1).put("prev", base + (pageNo - 1));
    }
    out.putObject("meta").put("total", items.size());
    return ok(200, out);
  }

  static Reply error(int status, String id, String message) {
    ObjectNode e = JSON.createObjectNode().put("id", id).put("message", message)
        .put("request_id", UUID.randomUUID().toString());
    return new Reply(status, e, Map.of());
  }

  private static Reply notFound() {
    return error(404, "not_found", "The resource you were accessing could not be found.");
  }

  private static Reply ok(int status, ObjectNode body) {
    return new Reply(status, body, Map.of());
  }

  private static Reply noContent() {
    return new Reply(204, null, Map.of());
  }

  private static ObjectNode obj(String key, ObjectNode value) {
    ObjectNode o = JSON.createObjectNode();
    o.set(key, value.deepCopy());
    return o;
  }

  private void addSize(String slug, int memory, int vcpus, int disk, double monthly) {
    ObjectNode s = JSON.createObjectNode().put("slug", slug).put("memory", memory).put("vcpus", vcpus)
        .put("disk", disk).put("transfer", 1.0).put("price_monthly", monthly)
        .put("price_hourly", Math.round(monthly / 672 * 100000) / 100000.0).put("available", true)
        .put("description", "Basic");
    ArrayNode r = s.putArray("regions");
    regions.keySet().forEach(r::add);
    sizes.put(slug, s);
  }

  private void addImage(long id, String slug, String name, String distribution) {
    ObjectNode i = JSON.createObjectNode().put("id", id).put("name", name).put("type", "base")
        .put("distribution", distribution).put("slug", slug).put("public", true);
    ArrayNode r = i.putArray("regions");
    regions.keySet().forEach(r::add);
    i.put("created_at", "2024-06-01T00:00:00Z").put("min_disk_size", 15).put("size_gigabytes", 2.36)
        .put("description", distribution + " " + name).put("status", "available");
    i.putArray("tags");
    images.put(slug, i);
  }

  private static String first(Map<String, List<String>> q, String k) {
    List<String> v = q.get(k);
    return v == null || v.isEmpty() ? null : v.get(0);
  }

  private static boolean contains(JsonNode arr, String value) {
    for (JsonNode n : arr) {
      if (n.asText().equals(value)) {
        return true;
      }
    }
    return false;
  }

  private static void removeValue(ArrayNode arr, String value) {
    for (int i = arr.size() - 1; i >= 0; i--) {
      if (arr.get(i).asText().equals(value)) {
        arr.remove(i);
      }
    }
  }

  private static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }

  private static String now() {
    return Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
  }

  private static String md5Fingerprint(byte[] blob) {
    try {
      byte[] md5 = MessageDigest.getInstance("MD5").digest(blob);
      StringBuilder sb = new StringBuilder();
      for (byte x : md5) {
        if (!sb.isEmpty()) {
          sb.append(':');
        }
        sb.append(String.format("%02x", x));
      }
      return sb.toString();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
