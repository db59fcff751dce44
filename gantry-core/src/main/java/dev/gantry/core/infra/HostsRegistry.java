package dev.gantry.core.infra;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The hosts registry, {@code hosts.yml} in the infra folder: for each host its role, the
 * address and provider {@code gantry cloud up} recorded, and for each system on it the
 * release that runs there. Deploy, rollback and clone rewrite it and commit it (see
 * {@link InfraRepo}), so {@code git log hosts.yml} answers "what ran where, when"; provisioning
 * records and forgets machines in it; spin and deploy reach a host without an address of its
 * own at the recorded one.
 *
 * <p>A value: every change returns a new registry. The file's format is {@link HostsYaml}'s.
 *
 * <pre>{@code
 * HostsRegistry reg = HostsRegistry.read(infra.resolve(HostsRegistry.FILE));
 * reg.with("prod", "production", "203.0.113.7", "capital", entry).write(infra.resolve(HostsRegistry.FILE));
 * }</pre>
 */
public record HostsRegistry(Map<String, Host> hosts) {
  /** The registry's file name, in the infra folder. */
  public static final String FILE = "hosts.yml";

  public HostsRegistry {
    TreeMap<String, Host> sorted = new TreeMap<>();
    // `web1:` with nothing under it reads as null: a host with nothing recorded yet
    (hosts == null ? Map.<String, Host>of() : hosts).forEach((name, h) -> sorted.put(name, h == null ? Host.EMPTY : h));
    hosts = sorted;
  }

  /** One host: its role, address, the provider that made it ({@code gantry cloud up}) and its systems. */
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  @JsonPropertyOrder({"role", "address", "provider", "systems"})
  public record Host(String role, String address, String provider, Map<String, SystemEntry> systems) {
    static final Host EMPTY = new Host(null, null, null, null);

    public Host {
      address = address == null || address.isBlank() ? null : address.strip();
      systems = new TreeMap<>(systems == null ? Map.of() : systems);
    }
  }

  /** The release of one system on a host, as its last deploy, rollback or clone recorded it. */
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

  /** No hosts. */
  public static HostsRegistry empty() {
    return new HostsRegistry(Map.of());
  }

  /**
   * Reads {@code file}; a missing or empty file is an empty registry, anything else that is
   * not a registry is a {@link dev.gantry.core.UserError} naming the file and what is wrong.
   */
  public static HostsRegistry read(Path file) {
    return HostsYaml.read(file);
  }

  /** The file's text: the header, then the hosts in name order. */
  public String render() {
    return HostsYaml.render(this);
  }

  /** Writes {@code file} (atomically); returns false when it already held exactly this. */
  public boolean write(Path file) {
    return HostsYaml.write(this, file);
  }

  /**
   * A copy with {@code system} on {@code host} set to {@code entry} (a deploy, rollback or
   * clone): the role and address given replace the recorded ones, an empty role or a null
   * address keeps them; the provider is kept.
   */
  public HostsRegistry with(String host, String role, String address, String system, SystemEntry entry) {
    Host old = hosts.getOrDefault(host, Host.EMPTY);
    Map<String, SystemEntry> systems = new TreeMap<>(old.systems());
    systems.put(system, entry);
    return replace(host, new Host(role == null || role.isEmpty() ? old.role() : role,
        address == null ? old.address() : address, old.provider(), systems));
  }

  /**
   * A copy recording that {@code provider} made {@code host}'s machine at {@code address}
   * ({@code gantry cloud up}); {@code role} is recorded only when the host has none yet, and
   * everything else recorded for the host stays.
   */
  public HostsRegistry withMachine(String host, String address, String provider, String role) {
    Host old = hosts.getOrDefault(host, Host.EMPTY);
    String keptRole = old.role() != null || role == null || role.isEmpty() ? old.role() : role;
    return replace(host, new Host(keptRole, address, provider, old.systems()));
  }

  /**
   * A copy without {@code host}'s address and provider ({@code gantry cloud down}); the rest
   * of its history stays, and a host left with nothing but a role is dropped.
   */
  public HostsRegistry withoutMachine(String host) {
    Host old = hosts.get(host);
    if (old == null) {
      return this;
    }
    Map<String, Host> copy = new TreeMap<>(hosts);
    if (old.systems().isEmpty()) {
      copy.remove(host);
    } else {
      copy.put(host, new Host(old.role(), null, null, old.systems()));
    }
    return new HostsRegistry(copy);
  }

  /** The address recorded for {@code host}. */
  public Optional<String> address(String host) {
    return Optional.ofNullable(hosts.get(host)).map(Host::address);
  }

  /** The provider recorded for {@code host}. */
  public Optional<String> provider(String host) {
    return Optional.ofNullable(hosts.get(host)).map(Host::provider);
  }

  /**
   * Where to reach {@code spec}: the address its definition gives, else the one recorded
   * here, else its name. The definition always wins, so a host moved by hand is reached where
   * the definition says even while an old record remains.
   */
  public String addressOf(HostSpec spec) {
    boolean explicit = !spec.address().equals(spec.name());
    return explicit ? spec.address() : address(spec.name()).orElse(spec.name());
  }

  private HostsRegistry replace(String host, Host h) {
    Map<String, Host> copy = new TreeMap<>(hosts);
    copy.put(host, h);
    return new HostsRegistry(copy);
  }
}
