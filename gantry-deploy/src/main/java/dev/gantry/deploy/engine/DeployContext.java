package dev.gantry.deploy.engine;

import dev.gantry.core.infra.InfraRepo;
import dev.gantry.deploy.ledger.Ledger;
import dev.gantry.deploy.s3.S3BackupCopy;
import dev.gantry.deploy.secrets.SecretSource;
import java.time.Clock;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What every deploy shares: the ledger, the infra repository holding the hosts registry,
 * the clock, who is deploying, where backups are copied, the vault, options and a listener.
 *
 * @param infra the infra repository; empty to skip committing the hosts registry
 * @param identity who is deploying, asked when first needed (reading git's configuration
 *     takes a while, so it may run beside the checks)
 * @param s3 where backups are copied; empty when not configured
 */
public record DeployContext(Ledger ledger, Optional<InfraRepo> infra, Clock clock, Supplier<String> identity,
    Optional<S3BackupCopy> s3, SecretSource secrets, DeployOptions options, DeployListener listener) {

  public DeployContext(Ledger ledger, Optional<InfraRepo> infra, Clock clock, String who, Optional<S3BackupCopy> s3,
      SecretSource secrets, DeployOptions options, DeployListener listener) {
    this(ledger, infra, clock, () -> who, s3, secrets, options, listener);
  }

  /** Who is deploying, e.g. {@code "Ann <ann@example.com>"}. */
  public String who() {
    return identity.get();
  }

  public DeployContext withListener(DeployListener l) {
    return new DeployContext(ledger, infra, clock, identity, s3, secrets, options, l);
  }

  public DeployContext withOptions(DeployOptions o) {
    return new DeployContext(ledger, infra, clock, identity, s3, secrets, o, listener);
  }
}
