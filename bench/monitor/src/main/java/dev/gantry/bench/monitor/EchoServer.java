package dev.gantry.bench.monitor;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * The floor for the latency figures: a server that answers every Riemann frame with
 * {@code ok} at once, without reading it, one thread per connection. Run in a JVM of its
 * own beside the monitor and measured by the same generator in the same run, it shows
 * what the machine, the loopback and the generator alone cost; the monitor's figures
 * above it are the monitor's.
 *
 * <pre>
 * java -cp ... dev.gantry.bench.monitor.EchoServer     (prints "echo TCP PORT")
 * </pre>
 */
public final class EchoServer {
  private static final byte[] ACK = {0, 0, 0, 2, 0x10, 1};

  private EchoServer() {}

  public static void main(String[] args) throws IOException {
    try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      System.out.println("echo TCP " + server.getLocalPort());
      System.out.flush();
      while (true) {
        Socket s = server.accept();
        s.setTcpNoDelay(true);
        Thread.ofPlatform().daemon().name("echo").start(() -> answer(s));
      }
    }
  }

  private static void answer(Socket s) {
    try (s) {
      DataInputStream in = new DataInputStream(new BufferedInputStream(s.getInputStream(), 1 << 16));
      OutputStream out = s.getOutputStream();
      while (true) {
        int len = in.readInt();
        in.skipNBytes(len);
        out.write(ACK);
      }
    } catch (IOException e) {
      // the connection closed
    }
  }
}
