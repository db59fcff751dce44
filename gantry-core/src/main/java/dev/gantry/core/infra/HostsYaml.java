package dev.gantry.core.infra;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import dev.gantry.core.UserError;
import dev.gantry.core.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;

/**
 * The format of {@code hosts.yml}: one header, core's YAML mapper, and the checks that turn a
 * file which is not a registry into an error naming the file and the key. Reads every file
 * Gantry has written (deploy's, provisioning's, and hand-written ones with only addresses).
 *
 * <pre>{@code
 * HostsRegistry r = HostsYaml.read(file);
 * HostsYaml.write(r.withMachine("web1", "203.0.113.7", "lab", "staging"), file);
 * }</pre>
 */
final class HostsYaml {
  static final String HEADER = "# What runs where. Gantry rewrites this file and commits it on every deploy,\n"
      + "# rollback and clone: `git log -p hosts.yml` tells what ran where, when.\n";

  /** Core's YAML mapper, where a key with nothing after it ({@code address:}) is null, as YAML means, not "". */
  private static final ObjectReader READER = Json.yaml().reader().with(YAMLParser.Feature.EMPTY_STRING_AS_NULL);

  private HostsYaml() {}

  static HostsRegistry read(Path file) {
    if (!Files.exists(file)) {
      return HostsRegistry.empty();
    }
    try {
      String text = Files.readString(file, StandardCharsets.UTF_8);
      JsonNode root = READER.readTree(text);
      if (root == null || root.isMissingNode() || root.isNull()) {
        return HostsRegistry.empty();
      }
      check(file, root);
      // bound from the text, not the tree: a tag such as 1.10 is a number to the tree, and would come back as 1.1
      return READER.readValue(text, HostsRegistry.class);
    } catch (IOException e) {
      throw notARegistry(file, e);
    }
  }

  static String render(HostsRegistry registry) {
    try {
      return HEADER + Json.yaml().writeValueAsString(registry);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot render the hosts registry", e);
    }
  }

  static boolean write(HostsRegistry registry, Path file) {
    String text = render(registry);
    try {
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

  /** The shape, checked before binding so that a mistake is named by its key rather than by Jackson. */
  private static void check(Path file, JsonNode root) {
    JsonNode hosts = root.path("hosts");
    if (!root.isObject() || !(hosts.isMissingNode() || hosts.isNull() || hosts.isObject())) {
      throw new UserError(file + ": not a hosts registry (expected a 'hosts:' mapping of host names)");
    }
    for (Map.Entry<String, JsonNode> h : hosts.properties()) {
      String where = file + ": hosts." + h.getKey();
      JsonNode host = h.getValue();
      if (host.isNull()) {
        continue;
      }
      if (!host.isObject()) {
        throw new UserError(where + " must be a mapping (role, address, provider, systems), not " + shown(host));
      }
      JsonNode address = host.path("address");
      if (!address.isMissingNode() && !address.isNull() && (!address.isValueNode() || address.asText().isBlank())) {
        throw new UserError(where + ".address must be a host name or IP address, not " + shown(address));
      }
      JsonNode systems = host.path("systems");
      if (!systems.isMissingNode() && !systems.isNull() && !systems.isObject()) {
        throw new UserError(where + ".systems must be a mapping of system names, not " + shown(systems));
      }
    }
  }

  private static String shown(JsonNode n) {
    return n.isContainerNode() ? "a " + (n.isArray() ? "list" : "mapping") : "'" + n.asText() + "'";
  }

  private static UserError notARegistry(Path file, Exception e) {
    return new UserError(file + ": not a hosts registry: "
        + String.valueOf(e.getMessage()).lines().findFirst().orElse(""), e);
  }
}
