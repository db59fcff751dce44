package dev.gantry.cloud.lab;

import dev.gantry.core.UserError;
import java.util.Locale;
import java.util.Set;

/**
 * Names and addresses of lab hosts, as pure functions. Host {@code n} gets the /30
 * {@code 10.213.n.0}: this machine's end is {@code .1}, the lab host is {@code .2}. The lab
 * range is routed between lab hosts through this machine, and nothing beyond it.
 */
public final class LabAddressing {
  static final String NET = "10.213";
  /** The whole lab range, which each lab host routes via this machine. */
  static final String RANGE = NET + ".0.0/16";
  /** The start of the name of every lab interface on this machine. */
  static final String VETH_PREFIX = "gantrylab";
  static final int MAX_HOSTS = 254;

  private LabAddressing() {}

  /** The smallest index not in {@code used}. */
  static int allocate(Set<Integer> used) {
    for (int i = 1; i <= MAX_HOSTS; i++) {
      if (!used.contains(i)) {
        return i;
      }
    }
    throw new UserError("all " + MAX_HOSTS + " lab addresses are in use; remove lab hosts with `gantry cloud down`");
  }

  static String hostAddress(int index) {
    return NET + "." + index + ".1";
  }

  static String labAddress(int index) {
    return NET + "." + index + ".2";
  }

  /** The index an address of the lab range belongs to, or -1. */
  static int indexOf(String ipv4) {
    String[] p = ipv4.split("\\.");
    if (p.length == 4 && (p[0] + "." + p[1]).equals(NET)) {
      try {
        return Integer.parseInt(p[2]);
      } catch (NumberFormatException e) {
        return -1;
      }
    }
    return -1;
  }

  /** Kernel interface names are at most 15 bytes. */
  static String hostVeth(int index) {
    return VETH_PREFIX + index;
  }

  static String peerVeth(int index) {
    return VETH_PREFIX + "p" + index;
  }

  /** A file- and namespace-safe form of a host name: {@code ci.example.com} to {@code ci-example-com}. */
  static String slug(String hostName) {
    String s = hostName.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]+", "-").replaceAll("^-+|-+$", "");
    if (s.isEmpty() || s.length() > 48) {
      throw new UserError("host name '" + hostName + "' cannot name a lab host: use letters, digits, dots and dashes, "
          + "at most 48 of them");
    }
    return s;
  }

  static String namespace(String hostName) {
    return "gantry-" + slug(hostName);
  }
}
