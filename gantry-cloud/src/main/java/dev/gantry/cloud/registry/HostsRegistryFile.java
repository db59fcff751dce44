package dev.gantry.cloud.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.gantry.core.UserError;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * The hosts registry, {@code hosts.yml} at the top of the infrastructure repository, as far
 * as provisioning is concerned: a host's {@code address} and the {@code provider} that made
 * it. Every other field (role, the systems deployment records) is kept as it was.
 *
 * <pre>{@code
 * HostsRegistryFile reg = new HostsRegistryFile(infraDir.resolve("hosts.yml"));
 * reg.recordMachine("web1", "203.0.113.7", "digitalocean", "production");
 * }</pre>
 */
public final class HostsRegistryFile {
  public static final String FILE = "hosts.yml";
  private static final ObjectMapper YAML = new ObjectMapper(YAMLFactory.builder()
      .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER).enable(YAMLGenerator.Feature.MINIMIZE_QUOTES).build());
  private static final String HEADER = "# What runs where. Gantry rewrites this file and commits it on every deploy,\n"
      + "# rollback and clone: `git log -p hosts.yml` tells what ran where, when.\n";

  private final Path file;

  public HostsRegistryFile(Path file) {
    this.file = file;
  }

  public Path file() {
    return file;
  }

  /** The recorded address of {@code host}. */
  public Optional<String> address(String host) {
    JsonNode a = read().path("hosts").path(host).path("address");
    return a.isTextual() ? Optional.of(a.asText()) : Optional.empty();
  }

  /** The provider recorded for {@code host}. */
  public Optional<String> provider(String host) {
    JsonNode a = read().path("hosts").path(host).path("provider");
    return a.isTextual() ? Optional.of(a.asText()) : Optional.empty();
  }

  /** Records where a provisioned host is; returns false when nothing changed. */
  public boolean recordMachine(String host, String address, String provider, String role) {
    ObjectNode root = read();
    ObjectNode hosts = root.has("hosts") && root.get("hosts").isObject() ? (ObjectNode) root.get("hosts") : root.putObject("hosts");
    ObjectNode h = hosts.has(host) && hosts.get(host).isObject() ? (ObjectNode) hosts.get(host) : hosts.putObject(host);
    if (role != null && !role.isEmpty() && !h.has("role")) {
      h.put("role", role);
    }
    h.put("address", address);
    h.put("provider", provider);
    return write(root);
  }

  /** Forgets a destroyed host's address and provider; the rest of its history stays. */
  public boolean forgetMachine(String host) {
    ObjectNode root = read();
    JsonNode h = root.path("hosts").path(host);
    if (!h.isObject()) {
      return false;
    }
    ((ObjectNode) h).remove("address");
    ((ObjectNode) h).remove("provider");
    if (h.isEmpty() || (h.size() == 1 && h.has("role"))) {
      ((ObjectNode) root.get("hosts")).remove(host);
    }
    return write(root);
  }

  private ObjectNode read() {
    if (!Files.exists(file)) {
      return YAML.createObjectNode();
    }
    try {
      JsonNode n = YAML.readTree(file.toFile());
      if (n == null || n.isMissingNode() || n.isNull()) {
        return YAML.createObjectNode();
      }
      if (!n.isObject() || (n.has("hosts") && !n.get("hosts").isObject())) {
        throw new UserError(file + ": not a hosts registry (expected a 'hosts:' mapping)");
      }
      return (ObjectNode) n;
    } catch (IOException e) {
      throw new UserError(file + ": not a hosts registry: " + e.getMessage().lines().findFirst().orElse(""));
    }
  }

  private boolean write(ObjectNode root) {
    try {
      String text = HEADER + YAML.writeValueAsString(root);
      if (Files.exists(file) && Files.readString(file, StandardCharsets.UTF_8).equals(text)) {
        return false;
      }
      Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
      Files.writeString(tmp, text, StandardCharsets.UTF_8);
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      return true;
    } catch (IOException e) {
      throw new UserError("cannot write " + file + ": " + e.getMessage());
    }
  }
}
