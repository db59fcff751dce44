/**
 * What the infrastructure takes from the lab it runs in: the machines' names and the addresses
 * {@code gantry cloud up} gave them (hosts.yml), the team CA's certificate ({@code gantry ca
 * init}, ca/ca.crt) and the tag of Gantry's images. {@code examples/run.sh} writes this file
 * after the machines are up; the values here are the ones of a first run on an empty lab. It is
 * Java, not a file read at run time, because the definition is compiled here and its classes
 * run on each host too.
 */
final class Lab {
  private Lab() {}

  /** The lab machines' names: PREFIX-ci, PREFIX-monitor, PREFIX-staging, PREFIX-production. */
  static final String PREFIX = "capital";
  static final String CI = "10.213.1.2";
  static final String MONITOR = "10.213.2.2";
  static final String STAGING = "10.213.3.2";
  static final String PRODUCTION = "10.213.4.2";
  /** The public key the machines let root log in with. */
  static final String AUTHORIZED_KEY = "/root/.ssh/id_ed25519.pub";
  /** The Debian tree the machines' root filesystems are overlays of. */
  static final String ROOTFS = "/var/cache/gantry-test/bookworm-machine";
  /** The team CA's certificate (ca/ca.crt), which every Docker host trusts for the registry. */
  static final String CA_PEM = "";
  /** The tag of gantry/server and gantry/agent in the registry; none before they are pushed there. */
  static final String GANTRY_TAG = "";
}
