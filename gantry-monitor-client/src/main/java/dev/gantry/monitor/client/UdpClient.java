package dev.gantry.monitor.client;

import dev.gantry.monitor.client.proto.Msg;
import dev.gantry.monitor.client.proto.MsgCodec;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * Sends events over UDP, one message per datagram, no acknowledgement. A batch larger than
 * {@link #MAX_DATAGRAM} is split across datagrams; a single event that does not fit fails.
 *
 * <pre>{@code
 * try (UdpClient udp = UdpClient.to("127.0.0.1", 5555)) { udp.send(List.of(event)); }
 * }</pre>
 */
public final class UdpClient implements AutoCloseable {
  /** The largest datagram a Riemann server reads. */
  public static final int MAX_DATAGRAM = 16 * 1024;

  private final DatagramSocket socket;
  private final InetSocketAddress target;

  private UdpClient(InetSocketAddress target) throws IOException {
    this.target = target;
    this.socket = new DatagramSocket();
  }

  public static UdpClient to(String host, int port) throws IOException {
    return new UdpClient(new InetSocketAddress(host, port));
  }

  /** Sends the events in as few datagrams as fit. */
  public void send(List<Event> events) throws IOException {
    List<Event> chunk = new ArrayList<>();
    for (Event e : events) {
      chunk.add(e);
      if (MsgCodec.size(Msg.ofEvents(chunk)) > MAX_DATAGRAM) {
        chunk.remove(chunk.size() - 1);
        if (chunk.isEmpty()) {
          throw new IOException("event " + e.host() + "/" + e.service() + " alone exceeds the UDP limit of "
              + MAX_DATAGRAM + " bytes; send it over TCP");
        }
        sendOne(chunk);
        chunk = new ArrayList<>(List.of(e));
      }
    }
    if (!chunk.isEmpty()) {
      sendOne(chunk);
    }
  }

  private void sendOne(List<Event> chunk) throws IOException {
    byte[] bytes = MsgCodec.encode(Msg.ofEvents(chunk));
    socket.send(new DatagramPacket(bytes, bytes.length, target));
  }

  @Override
  public void close() {
    socket.close();
  }
}
