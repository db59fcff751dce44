package dev.gantry.deploy.registry;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.gantry.core.UserError;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * The hosts registry, {@code hosts.yml} in the infrastructure repository: for each host its
 * role and address, and for each system on it the release that runs there. Gantry
 * rewrites and commits it on every deploy, rollback and clone, so {@code git log hosts.yml}
 * answers "what ran where, when".
 *
 * <pre>{@code
 * HostsRegistry reg = HostsRegistry.read(infra.resolve("hosts.yml"));
 * reg = reg.with("prod", "production", "203.0.113.7", "capital", entry);
 * reg.write(infra.resolve("hosts.yml"));
 * }</pre>
 */
public record HostsRegistry(Map<String, Host> hosts) {
  public static final String FILE = "hosts.yml";
  private static final ObjectMapper YAML = new ObjectMapper(YAMLFactory.builder()
      .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER).enable(YAMLGenerator.Feature.MINIMIZE_QUOTES).build())
      .findAndRegisterModules()
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
  private static final String HEADER = "# What runs where. Gantry rewrites this file and commits it on every deploy,\n"
      + "# rollback and clone: `git log -p hosts.yml` tells what ran where, when.\n";

  public HostsRegistry {
    hosts = new TreeMap<>(hosts == null ? Map.of() : hosts);
  }

  /** One host: its role, address, the provider that made it ({@code gantry cloud up}) and systems. */
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  @JsonPropertyOrder({"role", "address", "provider", "systems"})
  public record Host(String role, String address, String provider, Map<String, SystemEntry> systems) {
    public Host {
      systems = new TreeMap<>(systems == null ? Map.of() : systems);
    }
  }

  /** The release of one system on a host. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record SystemEntry(
      String release,
      Map<String, String> tags,
      String runtime,
      @JsonProperty("deployed_at") String deployedAt,
      @JsonProperty("deployed_by") String deployedBy,
      @JsonProperty("ledger_entry") long ledgerEntry,
      String note) {
    public SystemEntry {
      tags = new TreeMap<>(tags == null ? Map.of() : tags);
    }
  }

  /** Reads the file; a missing file is an empty registry. */
  public static HostsRegistry read(Path file) {
    if (!Files.exists(file)) {
      return new HostsRegistry(Map.of());
    }
    try {
      HostsRegistry r = YAML.readValue(file.toFile(), HostsRegistry.class);
      return r == null ? new HostsRegistry(Map.of()) : r;
    } catch (IOException e) {
      throw new UserError(file + ": not a hosts registry: " + e.getMessage().lines().findFirst().orElse(""));
    }
  }

  /** A copy with {@code system} on {@code host} set to {@code entry}. */
  public HostsRegistry with(String host, String role, String address, String system, SystemEntry entry) {
    Map<String, Host> copy = new TreeMap<>(hosts);
    Host old = copy.get(host);
    Map<String, SystemEntry> systems = new TreeMap<>(old == null ? Map.of() : old.systems());
    systems.put(system, entry);
    copy.put(host, new Host(role == null || role.isEmpty() ? (old == null ? null : old.role()) : role,
        address == null ? (old == null ? null : old.address()) : address, old == null ? null : old.provider(), systems));
    return new HostsRegistry(copy);
  }

  /** The file's text. */
  public String render() {
    try {
      return HEADER + YAML.writeValueAsString(this);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Writes the file; returns false when the content was already the same. */
  public boolean write(Path file) throws IOException {
    String text = render();
    if (Files.exists(file) && Files.readString(file, StandardCharsets.UTF_8).equals(text)) {
      return false;
    }
    Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
    Files.writeString(tmp, text, StandardCharsets.UTF_8);
    Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    return true;
  }
}
