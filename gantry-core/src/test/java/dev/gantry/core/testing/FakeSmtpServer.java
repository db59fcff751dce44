package dev.gantry.core.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * A small SMTP server on 127.0.0.1 for tests (RFC 5321 subset): EHLO/HELO, STARTTLS or
 * implicit TLS, AUTH PLAIN and LOGIN, MAIL/RCPT/DATA with dot-unstuffing, RSET, NOOP, QUIT.
 * It records each accepted message and can be told to refuse the next ones.
 *
 * <pre>{@code
 * try (FakeSmtpServer smtp = FakeSmtpServer.builder().startTls(TestTls.get().server())
 *         .user("gantry", "pw").start()) {
 *   smtp.failNext(451, "try again later");
 *   ... send ...
 *   FakeSmtpServer.Mail m = smtp.awaitMessages(1, Duration.ofSeconds(5)).get(0);
 *   assertThat(m.header("Subject")).contains("[FAILURE] build failed");
 * }
 * }</pre>
 */
public final class FakeSmtpServer implements AutoCloseable {

  /** An accepted message: envelope, the data as received (un-stuffed), and how it came. */
  public record Mail(String from, List<String> recipients, String data, boolean tls, String user) {
    /** The first header of that name, unfolded. */
    public Optional<String> header(String name) {
      String head = data.substring(0, Math.max(0, data.indexOf("\r\n\r\n")));
      String unfolded = head.replace("\r\n ", " ").replace("\r\n\t", " ");
      for (String line : unfolded.split("\r\n")) {
        int colon = line.indexOf(':');
        if (colon > 0 && line.substring(0, colon).equalsIgnoreCase(name)) {
          return Optional.of(line.substring(colon + 1).strip());
        }
      }
      return Optional.empty();
    }

    /** The body, with base64 transfer encoding undone. */
    public String body() {
      String raw = data.substring(data.indexOf("\r\n\r\n") + 4);
      if (header("Content-Transfer-Encoding").map(e -> e.equalsIgnoreCase("base64")).orElse(false)) {
        return new String(Base64.getMimeDecoder().decode(raw), StandardCharsets.UTF_8);
      }
      return raw;
    }
  }

  /** How the server behaves. */
  public static final class Builder {
    private SSLContext startTls;
    private SSLContext implicitTls;
    private final java.util.LinkedHashMap<String, String> users = new java.util.LinkedHashMap<>();
    private List<String> mechanisms = List.of("PLAIN", "LOGIN");

    /** Offer STARTTLS with this server context. */
    public Builder startTls(SSLContext server) {
      this.startTls = server;
      return this;
    }

    /** Speak TLS from the first byte (SMTPS, port 465 style). */
    public Builder implicitTls(SSLContext server) {
      this.implicitTls = server;
      return this;
    }

    /** Require AUTH, accepting this user; AUTH is offered only over TLS when TLS is set up. */
    public Builder user(String name, String password) {
      users.put(name, password);
      return this;
    }

    /** The AUTH mechanisms to offer (default PLAIN and LOGIN). */
    public Builder mechanisms(String... names) {
      mechanisms = List.of(names);
      return this;
    }

    public FakeSmtpServer start() {
      return new FakeSmtpServer(this);
    }
  }

  private record Refusal(int code, String text) {}

  private final Builder config;
  private final ServerSocket listener;
  private final List<Mail> messages = new ArrayList<>();
  private final List<String> commands = new ArrayList<>();
  private final Deque<Refusal> refusals = new ArrayDeque<>();
  private volatile boolean closed;

  private FakeSmtpServer(Builder config) {
    this.config = config;
    try {
      ServerSocket s = config.implicitTls != null
          ? config.implicitTls.getServerSocketFactory().createServerSocket(0, 50, InetAddress.getLoopbackAddress())
          : new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
      this.listener = s;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Thread.ofVirtual().name("fake-smtp-accept").start(this::acceptLoop);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Plain SMTP, no TLS, no AUTH. */
  public static FakeSmtpServer start() {
    return builder().start();
  }

  public String host() {
    return "127.0.0.1";
  }

  public int port() {
    return listener.getLocalPort();
  }

  /** The next message is refused at the end of DATA with this reply (call again for more). */
  public synchronized FakeSmtpServer failNext(int code, String text) {
    refusals.add(new Refusal(code, text));
    return this;
  }

  public synchronized List<Mail> messages() {
    return List.copyOf(messages);
  }

  /** Every command line received, in order (AUTH payloads included: test credentials only). */
  public synchronized List<String> commands() {
    return List.copyOf(commands);
  }

  /** Waits until {@code n} messages were accepted; fails the test after {@code timeout}. */
  public synchronized List<Mail> awaitMessages(int n, Duration timeout) {
    long end = System.nanoTime() + timeout.toNanos();
    while (messages.size() < n) {
      long left = end - System.nanoTime();
      if (left <= 0) {
        throw new AssertionError("expected " + n + " messages within " + timeout + " but got " + messages.size());
      }
      try {
        wait(Math.max(1, left / 1_000_000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted");
      }
    }
    return List.copyOf(messages);
  }

  private void acceptLoop() {
    while (!closed) {
      try {
        Socket s = listener.accept();
        Thread.ofVirtual().name("fake-smtp-session").start(() -> session(s));
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  /** The state of one connection. */
  private final class Session {
    Socket socket;
    InputStream in;
    OutputStream out;
    boolean tls;
    String user;
    String from;
    List<String> rcpts = new ArrayList<>();

    Session(Socket s) throws IOException {
      use(s);
      tls = s instanceof SSLSocket;
    }

    void use(Socket s) throws IOException {
      socket = s;
      in = s.getInputStream();
      out = s.getOutputStream();
    }

    void reply(String line) throws IOException {
      out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
      out.flush();
    }

    String line() throws IOException {
      ByteArrayOutputStream b = new ByteArrayOutputStream();
      int c;
      while ((c = in.read()) != '\n') {
        if (c < 0) {
          return null;
        }
        b.write(c);
      }
      String s = b.toString(StandardCharsets.UTF_8);
      return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }
  }

  private void session(Socket socket) {
    try (socket) {
      Session s = new Session(socket);
      s.reply("220 fake-smtp ESMTP ready");
      String line;
      while ((line = s.line()) != null) {
        synchronized (this) {
          commands.add(line);
        }
        String verb = line.split(" ", 2)[0].toUpperCase(Locale.ROOT);
        String arg = line.length() > verb.length() ? line.substring(verb.length() + 1) : "";
        switch (verb) {
          case "EHLO" -> ehlo(s);
          case "HELO" -> s.reply("250 fake-smtp");
          case "STARTTLS" -> {
            if (config.startTls == null || s.tls) {
              s.reply("502 STARTTLS not available");
            } else {
              s.reply("220 go ahead");
              SSLSocket tls = (SSLSocket) config.startTls.getSocketFactory()
                  .createSocket(s.socket, null, s.socket.getPort(), true);
              tls.setUseClientMode(false);
              tls.startHandshake();
              s.use(tls);
              s.tls = true;
              s.user = null;
            }
          }
          case "AUTH" -> auth(s, arg);
          case "MAIL" -> {
            if (!config.users.isEmpty() && s.user == null) {
              s.reply("530 5.7.0 authentication required");
            } else {
              s.from = address(arg);
              s.rcpts = new ArrayList<>();
              s.reply("250 ok");
            }
          }
          case "RCPT" -> {
            if (s.from == null) {
              s.reply("503 MAIL first");
            } else {
              s.rcpts.add(address(arg));
              s.reply("250 ok");
            }
          }
          case "DATA" -> data(s);
          case "RSET" -> {
            s.from = null;
            s.rcpts = new ArrayList<>();
            s.reply("250 ok");
          }
          case "NOOP" -> s.reply("250 ok");
          case "QUIT" -> {
            s.reply("221 bye");
            return;
          }
          default -> s.reply("502 unknown command");
        }
      }
    } catch (IOException e) {
      // the client went away
    }
  }

  private void ehlo(Session s) throws IOException {
    List<String> ext = new ArrayList<>(List.of("fake-smtp", "8BITMIME", "SIZE 10485760"));
    if (config.startTls != null && !s.tls) {
      ext.add("STARTTLS");
    }
    boolean tlsConfigured = config.startTls != null || config.implicitTls != null;
    if (!config.users.isEmpty() && (s.tls || !tlsConfigured)) {
      ext.add("AUTH " + String.join(" ", config.mechanisms));
    }
    for (int i = 0; i < ext.size(); i++) {
      s.reply("250" + (i == ext.size() - 1 ? " " : "-") + ext.get(i));
    }
  }

  private void auth(Session s, String arg) throws IOException {
    String[] parts = arg.split(" ", 2);
    String mechanism = parts[0].toUpperCase(Locale.ROOT);
    if (!config.mechanisms.contains(mechanism)) {
      s.reply("504 mechanism not supported");
      return;
    }
    String user;
    String password;
    if (mechanism.equals("PLAIN")) {
      String token = parts.length > 1 ? parts[1] : null;
      if (token == null) {
        s.reply("334 ");
        token = s.line();
      }
      String[] fields = decode(token).split("\0", -1);
      if (fields.length != 3) {
        s.reply("501 malformed PLAIN response");
        return;
      }
      user = fields[1];
      password = fields[2];
    } else {
      s.reply("334 " + Base64.getEncoder().encodeToString("Username:".getBytes(StandardCharsets.US_ASCII)));
      user = decode(s.line());
      s.reply("334 " + Base64.getEncoder().encodeToString("Password:".getBytes(StandardCharsets.US_ASCII)));
      password = decode(s.line());
    }
    if (password.equals(config.users.get(user))) {
      s.user = user;
      s.reply("235 2.7.0 authentication successful");
    } else {
      s.reply("535 5.7.8 authentication credentials invalid");
    }
  }

  private void data(Session s) throws IOException {
    if (s.from == null || s.rcpts.isEmpty()) {
      s.reply("503 need MAIL and RCPT first");
      return;
    }
    s.reply("354 end with <CRLF>.<CRLF>");
    StringBuilder data = new StringBuilder();
    String line;
    while ((line = s.line()) != null && !line.equals(".")) {
      data.append(line.startsWith(".") ? line.substring(1) : line).append("\r\n");
    }
    Refusal refusal;
    synchronized (this) {
      refusal = refusals.poll();
    }
    if (refusal != null) {
      s.reply(refusal.code() + " " + refusal.text());
    } else {
      synchronized (this) {
        messages.add(new Mail(s.from, List.copyOf(s.rcpts), data.toString(), s.tls, s.user));
        notifyAll();
      }
      s.reply("250 ok: queued");
    }
    s.from = null;
    s.rcpts = new ArrayList<>();
  }

  private static String address(String arg) {
    int lt = arg.indexOf('<');
    int gt = arg.indexOf('>');
    return lt >= 0 && gt > lt ? arg.substring(lt + 1, gt) : arg;
  }

  private static String decode(String b64) {
    try {
      return new String(Base64.getDecoder().decode(b64 == null ? "" : b64.strip()), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return "";
    }
  }

  @Override
  public void close() {
    closed = true;
    try {
      listener.close();
    } catch (IOException e) {
      // closing
    }
  }
}
