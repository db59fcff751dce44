package dev.gantry.deploy.cli;

import dev.gantry.core.cli.DurationConverter;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Option;

/** Options every deploy command shares. */
public final class CommonOptions {
  @Option(names = "--infra", defaultValue = ".", paramLabel = "DIR",
      description = "The infrastructure git repository (definition in DIR/infra, hosts registry DIR/hosts.yml). Default: ${DEFAULT-VALUE}")
  Path infra;

  @Option(names = {"--data-dir", "--data"}, paramLabel = "DIR", description = "Gantry's data folder (the release ledger). Default: $GANTRY_DATA_DIR or ./gantry-data")
  Path data;

  @Option(names = "--root", defaultValue = "/var/lib/gantry", paramLabel = "DIR",
      description = "Where systems, backups and locks live on the host. Default: ${DEFAULT-VALUE}")
  String root;

  @Option(names = "--prefix", defaultValue = "", paramLabel = "P",
      description = "Prefix of compose project and volume names, to keep environments apart on one Docker Engine")
  String prefix;

  @Option(names = "--swarm", description = "Deploy with `docker stack deploy` (the host must be a swarm manager)")
  boolean swarm;

  @Option(names = "--local", description = "Run on this machine whatever the host's address")
  boolean local;

  @Option(names = "--health-timeout", defaultValue = "3m", paramLabel = "DURATION", converter = DurationConverter.class,
      description = "How long a release may take to become healthy (e.g. 90s, 5m). Default: ${DEFAULT-VALUE}")
  Duration healthTimeout;

  @Option(names = "--keep-backups", defaultValue = "10", paramLabel = "N",
      description = "Backups kept per system on the host. Default: ${DEFAULT-VALUE}")
  int keepBackups;

  @Option(names = "--unit-dir", defaultValue = "/etc/systemd/system", paramLabel = "DIR",
      description = "Where the systemd unit is written on the host. Default: ${DEFAULT-VALUE}")
  String unitDir;

  @Option(names = "--drain-timeout", defaultValue = "30s", paramLabel = "DURATION", converter = DurationConverter.class,
      description = "After the front switched, how long requests still running on the old instances may take. Default: ${DEFAULT-VALUE}")
  Duration drainTimeout;

  @Option(names = "--keep-instances", defaultValue = "3", paramLabel = "N",
      description = "Stopped old instances kept per service, so a rollback to them is a start. Default: ${DEFAULT-VALUE}")
  int keepInstances;

  @Option(names = "--public-ports",
      description = "With --swarm: accept that Swarm publishes the definition's loopback ports on every interface of the node")
  boolean publicPorts;

  @Option(names = "--ssh-key", paramLabel = "FILE", description = "Private key for SSH to remote hosts")
  Path sshKey;

  @Option(names = "--known-hosts", paramLabel = "FILE", description = "known_hosts file for SSH")
  Path knownHosts;

  @Option(names = "--connect-timeout", defaultValue = "10s", paramLabel = "DURATION", converter = DurationConverter.class,
      description = "How long connecting and logging in to a host over SSH may take (default ${DEFAULT-VALUE})")
  java.time.Duration connectTimeout;

  @Option(names = "--accept-new-host-key", description = "Trust and record a host key seen for the first time")
  boolean acceptNewHostKey;

  @Option(names = "--s3-endpoint", paramLabel = "URL", description = "Copy backups to this S3-compatible endpoint (or $GANTRY_S3_ENDPOINT); keys from $GANTRY_S3_ACCESS_KEY and $GANTRY_S3_SECRET_KEY")
  String s3Endpoint;

  @Option(names = "--s3-bucket", paramLabel = "NAME", description = "Bucket for backup copies (or $GANTRY_S3_BUCKET)")
  String s3Bucket;

  @Option(names = "--s3-region", paramLabel = "REGION", description = "S3 region (or $GANTRY_S3_REGION; default us-east-1)")
  String s3Region;

  @Option(names = "--s3-prefix", paramLabel = "PREFIX", description = "Key prefix in the bucket (or $GANTRY_S3_PREFIX; default gantry)")
  String s3Prefix;

  Path dataDir() {
    if (data != null) {
      return data;
    }
    String env = System.getenv("GANTRY_DATA_DIR");
    return env != null && !env.isBlank() ? Path.of(env) : Path.of("gantry-data");
  }
}
