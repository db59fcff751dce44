package dev.gantry.cloud.provision;

import dev.gantry.core.infra.Provisioning;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A machine made on this machine: a network namespace with its own address, a copy-on-write
 * Debian root filesystem, and systemd booted in it by systemd-nspawn, with sshd as a unit and
 * Docker able to run inside. Without an explicit key the first of
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

  /** A prepared Debian root filesystem with systemd and sshd to boot (never changed: each machine gets an overlay). */
  public LabProvisioning rootfs(Path dir) {
    return new LabProvisioning(authorizedKey, Optional.of(dir));
  }

  @Override
  public String describe() {
    return "lab (a machine booted with systemd-nspawn on this machine)";
  }
}
