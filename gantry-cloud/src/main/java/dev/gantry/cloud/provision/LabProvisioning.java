package dev.gantry.cloud.provision;

import dev.gantry.core.infra.Provisioning;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A host made on this machine: a network namespace with its own address, a Debian root
 * filesystem and its own sshd. Without an explicit key the first of
 * {@code ~/.ssh/id_ed25519.pub}, {@code id_ecdsa.pub}, {@code id_rsa.pub} is authorized.
 *
 * <pre>{@code
 * i.host("web1").provisionedBy(lab());
 * i.host("web2").provisionedBy(lab().authorizedKey(Path.of("keys/deploy.pub")));
 * }</pre>
 */
public record LabProvisioning(Optional<Path> authorizedKey, Optional<Path> rootfs) implements Provisioning {
  public static LabProvisioning defaults() {
    return new LabProvisioning(Optional.empty(), Optional.empty());
  }

  /** The public key file allowed to log in. */
  public LabProvisioning authorizedKey(Path publicKeyFile) {
    return new LabProvisioning(Optional.of(publicKeyFile), rootfs);
  }

  /** A prepared Debian root filesystem to start from (never changed: each host gets an overlay). */
  public LabProvisioning rootfs(Path dir) {
    return new LabProvisioning(authorizedKey, Optional.of(dir));
  }

  @Override
  public String describe() {
    return "lab (network namespace on this machine)";
  }
}
