package dev.gantry.monitor;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;

/** A loopback port free for both TCP and UDP, for clients that assume one port for both. */
public final class FreePort {
  private FreePort() {}

  public static int tcpAndUdp() {
    for (int attempt = 0; attempt < 50; attempt++) {
      try (ServerSocket tcp = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
          DatagramSocket udp = new DatagramSocket(tcp.getLocalPort(), InetAddress.getLoopbackAddress())) {
        return tcp.getLocalPort();
      } catch (IOException taken) {
        // the UDP side was busy; try another
      }
    }
    throw new IllegalStateException("no port free for both TCP and UDP");
  }
}
