package dev.gantry.core.tls;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Whether a listener's bind address can be reached only from this machine: the one question
 * behind every "plain text only on loopback" rule (the server's HTTP, the monitor's TCP).
 *
 * <pre>{@code
 * BindAddress.loopbackOnly("127.0.0.1"); // true
 * BindAddress.loopbackOnly("0.0.0.0");   // false
 * }</pre>
 */
public final class BindAddress {
  private BindAddress() {}

  /** True for loopback addresses and names that resolve to one; false for any other or unknown. */
  public static boolean loopbackOnly(String host) {
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
