package dev.gantry.host.ssh;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.gantry.core.UserError;
import dev.gantry.core.infra.HostSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The addresses recorded for hosts in the infrastructure repository's {@code hosts.yml}
 * ({@code hosts.NAME.address}, written by {@code gantry cloud up}). A host whose definition
 * gives no address is reached at its recorded one, else at its name; an address in the
 * definition always wins.
 *
 * <pre>{@code
 * RecordedAddresses recorded = RecordedAddresses.read(Path.of("."));
 * SshEndpoint ep = recorded.endpoint(infra.requireHost("try1"));   // root@10.213.1.2
 * }</pre>
 */
public final class RecordedAddresses {
  /** The hosts registry, at the top of the infrastructure repository. */
  public static final String FILE = "hosts.yml";
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private final Map<String, String> addresses;

  private RecordedAddresses(Map<String, String> addresses) {
    this.addresses = Map.copyOf(addresses);
  }

  /** No recorded addresses: every host is reached as its definition says. */
  public static RecordedAddresses none() {
    return new RecordedAddresses(Map.of());
  }

  /** Reads {@code repo/hosts.yml}; a missing file records nothing. */
  public static RecordedAddresses read(Path repo) {
    Path file = repo.resolve(FILE);
    if (!Files.exists(file)) {
      return none();
    }
    JsonNode root;
    try {
      root = YAML.readTree(file.toFile());
    } catch (IOException e) {
      throw new UserError(file + ": not a hosts registry: "
          + String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
    }
    Map<String, String> found = new TreeMap<>();
    if (root == null || root.isMissingNode() || root.isNull()) {
      return none();
    }
    JsonNode hosts = root.path("hosts");
    if (!root.isObject() || !(hosts.isMissingNode() || hosts.isNull() || hosts.isObject())) {
      throw new UserError(file + ": not a hosts registry (expected a 'hosts:' mapping of host names)");
    }
    for (Map.Entry<String, JsonNode> h : hosts.properties()) {
      JsonNode address = h.getValue().path("address");
      if (address.isMissingNode() || address.isNull()) {
        continue;
      }
      if (!address.isValueNode() || address.asText().isBlank()) {
        throw new UserError(file + ": hosts." + h.getKey() + ".address must be a host name or IP address, not "
            + (address.isContainerNode() ? "a " + (address.isArray() ? "list" : "mapping") : "'" + address.asText() + "'"));
      }
      found.put(h.getKey(), address.asText().strip());
    }
    return new RecordedAddresses(found);
  }

  /** The address recorded for {@code host}. */
  public Optional<String> address(String host) {
    return Optional.ofNullable(addresses.get(host));
  }

  /** Where to reach {@code spec}: its own address when it gives one, else the recorded one, else its name. */
  public String addressOf(HostSpec spec) {
    boolean explicit = !spec.address().equals(spec.name());
    return explicit ? spec.address() : address(spec.name()).orElse(spec.name());
  }

  /** The SSH endpoint of {@code spec}, with {@link #addressOf} as its address. */
  public SshEndpoint endpoint(HostSpec spec) {
    return new SshEndpoint(addressOf(spec), spec.sshPort(), spec.user());
  }
}
