package capital.events;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * Sends the application's events (one per HTTP request: its latency as the metric, its status
 * as an attribute) to a Riemann-compatible monitor over UDP, as Riemann's protocol-buffer
 * {@code Msg}. Fire and forget: a monitor that is away never slows a request down. Off when
 * {@code RIEMANN_HOST} is not set.
 *
 * <pre>{@code
 * Riemann r = Riemann.fromEnv(System.getenv());
 * r.send("capital http", 12.5, "ok", "status", "200");
 * }</pre>
 */
public final class Riemann implements AutoCloseable {
  private final DatagramSocket socket;
  private final InetSocketAddress to;
  private final String host;

  private Riemann(DatagramSocket socket, InetSocketAddress to, String host) {
    this.socket = socket;
    this.to = to;
    this.host = host;
  }

  public static Riemann fromEnv(java.util.Map<String, String> env) {
    String target = env.get("RIEMANN_HOST");
    if (target == null || target.isBlank()) {
      return new Riemann(null, null, null);
    }
    int port = Integer.parseInt(env.getOrDefault("RIEMANN_PORT", "5555"));
    String me = env.getOrDefault("APP_HOST_NAME", env.getOrDefault("HOSTNAME", "app"));
    try {
      return new Riemann(new DatagramSocket(), new InetSocketAddress(target, port), me);
    } catch (IOException e) {
      throw new IllegalStateException("cannot open a UDP socket for Riemann: " + e.getMessage(), e);
    }
  }

  public void send(String service, double metric, String state, String attrKey, String attrValue) {
    if (socket == null) {
      return;
    }
    ByteArrayOutputStream ev = new ByteArrayOutputStream();
    string(ev, 4, host);
    string(ev, 3, service);
    string(ev, 2, state);
    ev.write(14 << 3 | 1); // metric_d, 64-bit
    long bits = Double.doubleToLongBits(metric);
    for (int i = 0; i < 8; i++) {
      ev.write((int) (bits >>> (8 * i)) & 0xff);
    }
    ev.write(8 << 3 | 5); // ttl, 32-bit float
    int ttl = Float.floatToIntBits(60f);
    for (int i = 0; i < 4; i++) {
      ev.write(ttl >>> (8 * i) & 0xff);
    }
    ByteArrayOutputStream attr = new ByteArrayOutputStream();
    string(attr, 1, attrKey);
    string(attr, 2, attrValue);
    bytes(ev, 9, attr.toByteArray());
    ByteArrayOutputStream msg = new ByteArrayOutputStream();
    bytes(msg, 6, ev.toByteArray());
    byte[] b = msg.toByteArray();
    try {
      socket.send(new DatagramPacket(b, b.length, to));
    } catch (IOException ignored) {
      // a monitor that is away must not fail the request
    }
  }

  private static void string(ByteArrayOutputStream out, int field, String s) {
    bytes(out, field, s.getBytes(StandardCharsets.UTF_8));
  }

  private static void bytes(ByteArrayOutputStream out, int field, byte[] b) {
    varint(out, field << 3 | 2);
    varint(out, b.length);
    out.writeBytes(b);
  }

  private static void varint(ByteArrayOutputStream out, long v) {
    while ((v & ~0x7FL) != 0) {
      out.write((int) (v & 0x7F) | 0x80);
      v >>>= 7;
    }
    out.write((int) v);
  }

  @Override
  public void close() {
    if (socket != null) {
      socket.close();
    }
  }
}
