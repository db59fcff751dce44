package dev.gantry.host.lib;

import dev.gantry.core.definition.DefinitionError;
import dev.gantry.core.process.ProcessResult;
import dev.gantry.host.property.Check;
import dev.gantry.host.property.Info;
import dev.gantry.host.property.Property;
import dev.gantry.host.property.PropertyFailure;
import dev.gantry.host.property.Props;
import dev.gantry.host.property.SecretRef;
import dev.gantry.core.target.FileAttrs;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A private image registry: Debian's {@code docker-registry} (the Distribution registry) on a
 * host, with basic authentication from an htpasswd file whose password comes from the vault;
 * and Docker hosts that log in to it and pull from it. The transport is a choice to make
 * explicitly: TLS with a certificate and key already on the registry host (the clients trust
 * its CA), or plain HTTP on a private network.
 *
 * <pre>{@code
 * var password = SecretRef.of("registry-password", "any");
 * var tls = DockerRegistry.tls("/etc/ssl/registry.crt", "/etc/ssl/private/registry.key");
 * i.host("registry1").with(DockerRegistry.serving(5000, tls, "ci", password));
 * i.host("web1").with(Docker.installed(), DockerRegistry.pullingFrom("registry1:5000", tls, "ci", password)
 *     .requires(DockerRegistry.trusting("registry1:5000", caPem)));
 * }</pre>
 */
public final class DockerRegistry {
  static final String CONFIG = "/etc/docker/registry/config.yml";
  static final String HTPASSWD = "/etc/docker/registry/htpasswd";
  static final String DAEMON_JSON = "/etc/docker/daemon.json";
  static final String CLIENT_CONFIG = "/root/.docker/config.json";

  private DockerRegistry() {}

  /** HTTPS with this certificate (chain) and key, as files on the registry host. */
  public static ServiceTransport tls(String certificate, String key) {
    requirePath(certificate, "certificate");
    requirePath(key, "key");
    return new ServiceTransport.Tls(certificate, key);
  }

  /** Plain HTTP: only on a network where nobody else listens, and clients must list it as insecure. */
  public static ServiceTransport insecureOnPrivateNetwork() {
    return new ServiceTransport.PlainOnPrivateNetwork();
  }

  /**
   * The registry serves on {@code port} with basic authentication for {@code user}, its storage in
   * {@code /var/lib/docker-registry}; restarted when its configuration or password changes.
   */
  public static Property serving(int port, ServiceTransport transport, String user, SecretRef password) {
    requirePort(port);
    User.requireName(user);
    Property restart = Systemd.restarted("docker-registry");
    return Props.withInfo(Props.sequence("docker registry on port " + port + " (" + describe(transport) + ")",
        Apt.installed("docker-registry", "apache2-utils"),
        File.hasContent(CONFIG, config(port, transport), FileAttrs.mode(0644)).onChange(restart),
        htpasswd(user, password).onChange(restart),
        Systemd.enabled("docker-registry"), Systemd.started("docker-registry")),
        new Info.PortOpened(port, "tcp"), new Info.ServiceMonitored("docker-registry"));
  }

  /** The registry's configuration: a pure function of the port and the transport. */
  static String config(int port, ServiceTransport transport) {
    String tls = switch (transport) {
      case ServiceTransport.Tls t -> "  tls:\n    certificate: " + t.certificate() + "\n    key: " + t.key() + "\n";
      case ServiceTransport.PlainOnPrivateNetwork p -> "";
    };
    return """
        # managed by gantry
        version: 0.1
        log:
          fields:
            service: registry
        storage:
          filesystem:
            rootdirectory: /var/lib/docker-registry
          delete:
            enabled: true
        http:
          addr: :%d
        %s  headers:
            X-Content-Type-Options: [nosniff]
        auth:
          htpasswd:
            realm: gantry-registry
            path: %s
        """.formatted(port, tls, HTPASSWD);
  }

  /** The htpasswd file holds {@code user} with the vault's password (bcrypt, checked with {@code htpasswd -v}). */
  private static Property htpasswd(String user, SecretRef password) {
    Property p = Props.checked("registry user " + user + " (password from the vault)", ctx -> {
      byte[] pw = ctx.secret(password).getBytes(StandardCharsets.UTF_8);
      ProcessResult r = ctx.target().run(java.util.List.of("htpasswd", "-v", "-i", HTPASSWD, user), pw);
      return Check.holdsIf(r.ok(), "set the password of " + user + " in " + HTPASSWD);
    }, (ctx, c) -> {
      byte[] pw = ctx.secret(password).getBytes(StandardCharsets.UTF_8);
      Run.must(ctx.target(), java.util.List.of("htpasswd", "-c", "-B", "-i", HTPASSWD, user), pw);
      // the registry runs as its own user, which must read the file; nobody else may
      Run.must(ctx.target(), "chown", "root:docker-registry", HTPASSWD);
      Run.must(ctx.target(), "chmod", "0640", HTPASSWD);
    });
    return Props.withInfo(p, new Info.SecretUsed(password));
  }

  /**
   * This host's Docker logs in to the registry at {@code registry} ({@code host:port}) as
   * {@code user}; for a plain-HTTP registry it also lists it as insecure in
   * {@code /etc/docker/daemon.json} (which it then owns) and restarts Docker when that changes.
   */
  public static Property pullingFrom(String registry, ServiceTransport transport, String user, SecretRef password) {
    requireRegistry(registry);
    User.requireName(user);
    Property login = loggedIn(registry, user, password);
    return switch (transport) {
      case ServiceTransport.Tls t -> login;
      case ServiceTransport.PlainOnPrivateNetwork p -> Props.sequence("docker pulls from " + registry + " over plain HTTP",
          File.hasContent(DAEMON_JSON, "{\n  \"insecure-registries\": [\"" + registry + "\"]\n}\n", FileAttrs.mode(0644))
              .onChange(Systemd.restarted("docker")),
          login);
    };
  }

  /** Docker on this host trusts {@code caPem} for the registry at {@code registry} ({@code /etc/docker/certs.d}). */
  public static Property trusting(String registry, String caPem) {
    requireRegistry(registry);
    if (!caPem.contains("-----BEGIN CERTIFICATE-----")) {
      throw new DefinitionError("the CA for registry " + registry + " is not a PEM certificate");
    }
    return Props.sequence("docker trusts the CA of " + registry,
        File.directory("/etc/docker/certs.d/" + registry, FileAttrs.mode(0755)),
        File.hasContent("/etc/docker/certs.d/" + registry + "/ca.crt", caPem.strip() + "\n", FileAttrs.mode(0644)));
  }

  /** root's Docker client credentials for the registry, as {@code docker login} writes them (mode 0600). */
  private static Property loggedIn(String registry, String user, SecretRef password) {
    Property p = Props.checked("docker logged in to " + registry + " as " + user, ctx -> {
      String want = clientConfig(registry, user, ctx.secret(password));
      boolean same = ctx.target().readText(CLIENT_CONFIG).map(want::equals).orElse(false);
      return Check.holdsIf(same, "write " + CLIENT_CONFIG + " (credentials not shown)");
    }, (ctx, c) -> {
      Run.must(ctx.target(), "mkdir", "-p", "-m", "0700", "/root/.docker");
      ctx.target().write(CLIENT_CONFIG, clientConfig(registry, user, ctx.secret(password)).getBytes(StandardCharsets.UTF_8),
          FileAttrs.mode(0600).withOwner("root", "root"));
    });
    return Props.withInfo(p, new Info.SecretUsed(password));
  }

  static String clientConfig(String registry, String user, String password) {
    if (password.contains("\n")) {
      throw new PropertyFailure("the registry password for " + user + " holds a line break");
    }
    String auth = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    return "{\n  \"auths\": {\n    \"" + registry + "\": {\n      \"auth\": \"" + auth + "\"\n    }\n  }\n}\n";
  }

  private static String describe(ServiceTransport t) {
    return switch (t) {
      case ServiceTransport.Tls tls -> "TLS";
      case ServiceTransport.PlainOnPrivateNetwork p -> "plain HTTP on a private network";
    };
  }

  private static void requirePort(int port) {
    if (port < 1 || port > 65535) {
      throw new DefinitionError("registry port " + port + " is not in 1..65535");
    }
  }

  private static void requireRegistry(String registry) {
    if (registry == null || !registry.matches("[A-Za-z0-9.-]+:\\d{1,5}")) {
      throw new DefinitionError("registry '" + registry + "' must be host:port, e.g. registry1:5000");
    }
  }

  private static void requirePath(String path, String what) {
    if (path == null || !path.startsWith("/")) {
      throw new DefinitionError("the registry's TLS " + what + " must be an absolute path, not '" + path + "'");
    }
  }
}
