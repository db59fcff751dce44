package dev.gantry.monitor.client;

import dev.gantry.monitor.client.proto.MalformedMessageException;
import dev.gantry.monitor.client.proto.Msg;
import dev.gantry.monitor.client.proto.MsgCodec;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import javax.net.SocketFactory;

/**
 * A synchronous Riemann TCP client: each call sends one framed message and waits for its
 * reply. A broken connection is reopened on the next call. Thread-safe (calls are serialised).
 *
 * <pre>{@code
 * try (TcpClient c = TcpClient.connect("127.0.0.1", 5555)) {
 *   c.send(List.of(Event.builder().host("web1").service("up").state("ok").build()));
 *   List<Event> found = c.query("service = \"up\"");
 * }
 * }</pre>
 */
public final class TcpClient implements AutoCloseable {
  /** Replies larger than this are refused rather than buffered. */
  public static final int MAX_REPLY_BYTES = 64 << 20;

  private final String host;
  private final int port;
  private final SocketFactory sockets;
  private final Duration timeout;
  private Socket socket;
  private DataInputStream in;
  private OutputStream out;

  private TcpClient(String host, int port, SocketFactory sockets, Duration timeout) {
    this.host = Objects.requireNonNull(host, "host");
    this.port = port;
    this.sockets = sockets;
    this.timeout = timeout;
  }

  /** A client for {@code host:port}; connects lazily on the first call. */
  public static TcpClient connect(String host, int port) {
    return new TcpClient(host, port, SocketFactory.getDefault(), Duration.ofSeconds(10));
  }

  /**
   * A client with a socket factory (for TLS, an {@code SSLSocketFactory}) and a timeout for
   * connecting and for each reply.
   */
  public static TcpClient connect(String host, int port, SocketFactory sockets, Duration timeout) {
    return new TcpClient(host, port, sockets, timeout);
  }

  /** Sends events and waits until the server acknowledged them (after its streams ran). */
  public synchronized void send(List<Event> events) throws IOException {
    Msg reply = request(Msg.ofEvents(events));
    if (reply.failed()) {
      throw new MonitorException(reply.error());
    }
  }

  /** The indexed events matching {@code query}; a bad query fails with the parser's message. */
  public synchronized List<Event> query(String query) throws IOException {
    Msg reply = request(Msg.ofQuery(query));
    if (reply.failed()) {
      throw new MonitorException(reply.error());
    }
    return reply.events();
  }

  /** Sends one message and returns the server's reply as is. */
  public synchronized Msg request(Msg msg) throws IOException {
    ensureOpen();
    try {
      out.write(MsgCodec.encodeFramed(msg));
      out.flush();
      return readReply();
    } catch (MalformedMessageException e) {
      closeQuietly();
      throw new IOException("bad reply from " + host + ":" + port + ": " + e.getMessage());
    } catch (IOException | RuntimeException e) {
      closeQuietly();
      throw e;
    }
  }

  private Msg readReply() throws IOException {
    int len;
    try {
      len = in.readInt();
    } catch (EOFException e) {
      throw new IOException("connection to " + host + ":" + port + " closed before the reply");
    }
    if (len < 0 || len > MAX_REPLY_BYTES) {
      throw new IOException("reply of " + len + " bytes from " + host + ":" + port + " exceeds " + MAX_REPLY_BYTES);
    }
    byte[] buf = new byte[len];
    in.readFully(buf);
    Instant now = Instant.now();
    return MsgCodec.decode(buf, 0, len, now.getEpochSecond() * 1_000_000L + now.getNano() / 1000);
  }

  private void ensureOpen() throws IOException {
    if (socket != null && !socket.isClosed()) {
      return;
    }
    Socket s = sockets.createSocket();
    try {
      s.setTcpNoDelay(true);
      s.connect(new InetSocketAddress(host, port), (int) timeout.toMillis());
      s.setSoTimeout((int) timeout.toMillis());
      socket = s;
      in = new DataInputStream(new BufferedInputStream(s.getInputStream()));
      out = new BufferedOutputStream(s.getOutputStream(), 64 * 1024);
    } catch (IOException e) {
      s.close();
      throw new IOException("cannot connect to " + host + ":" + port + ": " + e.getMessage(), e);
    }
  }

  private void closeQuietly() {
    try {
      if (socket != null) {
        socket.close();
      }
    } catch (IOException ignored) {
      // already broken; the next call reconnects
    }
    socket = null;
  }

  @Override
  public synchronized void close() {
    closeQuietly();
  }
}
