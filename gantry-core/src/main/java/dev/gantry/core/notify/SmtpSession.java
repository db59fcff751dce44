package dev.gantry.core.notify;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/** One SMTP conversation (RFC 5321) on a socket: greeting, EHLO, TLS, AUTH, one message, QUIT. */
final class SmtpSession implements Closeable {

  /** A server reply: its code and the text of each line. */
  record Reply(int code, List<String> lines) {
    boolean positive() {
      return code >= 200 && code < 400;
    }

    @Override
    public String toString() {
      return code + " " + String.join(" ", lines);
    }
  }

  /** The server said no; {@code transient} for 4xx (try later), permanent for 5xx. */
  static final class Refused extends IOException {
    private static final long serialVersionUID = 1L;
    final boolean temporary;

    Refused(String step, Reply reply) {
      super(step + " refused: " + reply);
      this.temporary = reply.code() >= 400 && reply.code() < 500;
    }
  }

  private final SmtpSettings settings;
  private Socket socket;
  private InputStream in;
  private OutputStream out;
  private List<String> extensions = List.of();

  private SmtpSession(SmtpSettings settings) {
    this.settings = settings;
  }

  static SmtpSession open(SmtpSettings s) throws IOException {
    SmtpSession session = new SmtpSession(s);
    try {
      session.connect();
      return session;
    } catch (IOException | RuntimeException e) {
      session.close();
      throw e;
    }
  }

  private void connect() throws IOException {
    int timeout = (int) settings.timeout().toMillis();
    Socket plain = new Socket();
    socket = plain;
    plain.connect(new InetSocketAddress(settings.host(), settings.port()), timeout);
    plain.setSoTimeout(timeout);
    if (settings.security() == SmtpSettings.Security.TLS) {
      useTls();
    } else {
      useStreams(plain);
    }
    expect("greeting", read(), 220);
    hello();
    if (settings.security() == SmtpSettings.Security.STARTTLS) {
      if (!extensions.contains("STARTTLS")) {
        throw new Refused("STARTTLS", new Reply(502, List.of("the server does not offer STARTTLS")));
      }
      expect("STARTTLS", command("STARTTLS"), 220);
      useTls();
      hello(); // what the server offers may change once the channel is private (RFC 3207)
    }
    if (settings.username() != null) {
      authenticate();
    }
  }

  private void useTls() throws IOException {
    SSLContext context;
    try {
      context = settings.sslContext() != null ? settings.sslContext() : SSLContext.getDefault();
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IOException("no TLS available in this JVM", e);
    }
    SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(socket, settings.host(), settings.port(), true);
    SSLParameters params = tls.getSSLParameters();
    params.setEndpointIdentificationAlgorithm("HTTPS"); // the certificate must name the host we asked for
    tls.setSSLParameters(params);
    tls.setUseClientMode(true);
    tls.startHandshake();
    socket = tls;
    useStreams(tls);
  }

  private void useStreams(Socket s) throws IOException {
    in = s.getInputStream();
    out = s.getOutputStream();
  }

  private void hello() throws IOException {
    Reply ehlo = command("EHLO " + settings.heloName());
    if (ehlo.code() == 250) {
      extensions = ehlo.lines().stream().skip(1).map(l -> l.toUpperCase(Locale.ROOT)).toList();
      return;
    }
    expect("HELO", command("HELO " + settings.heloName()), 250);
    extensions = List.of();
  }

  private void authenticate() throws IOException {
    List<String> mechanisms = extensions.stream()
        .filter(e -> e.startsWith("AUTH ") || e.startsWith("AUTH="))
        .flatMap(e -> List.of(e.substring(5).split(" ")).stream())
        .toList();
    String user = settings.username();
    String password = settings.password().reveal();
    if (mechanisms.contains("PLAIN")) {
      String token = base64("\0" + user + "\0" + password);
      expect("AUTH PLAIN for '" + user + "'", command("AUTH PLAIN " + token), 235);
    } else if (mechanisms.contains("LOGIN")) {
      expect("AUTH LOGIN", command("AUTH LOGIN"), 334);
      expect("AUTH LOGIN", command(base64(user)), 334);
      expect("AUTH LOGIN for '" + user + "'", command(base64(password)), 235);
    } else {
      throw new Refused("AUTH", new Reply(504, List.of("the server offers neither PLAIN nor LOGIN")));
    }
  }

  /** Sends one message (already formatted with CRLF) to every recipient. */
  void send(String from, List<String> to, String message) throws IOException {
    expect("MAIL FROM", command("MAIL FROM:<" + from + ">"), 250);
    for (String rcpt : to) {
      Reply r = command("RCPT TO:<" + rcpt + ">");
      if (r.code() != 250 && r.code() != 251) {
        throw new Refused("RCPT TO <" + rcpt + ">", r);
      }
    }
    expect("DATA", command("DATA"), 354);
    String body = MailMessage.dotStuff(message);
    out.write(body.getBytes(StandardCharsets.UTF_8));
    if (!body.endsWith("\r\n")) {
      out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
    }
    out.write(".\r\n".getBytes(StandardCharsets.US_ASCII));
    out.flush();
    expect("the message", read(), 250);
  }

  void quit() {
    try {
      command("QUIT");
    } catch (IOException e) {
      // the message is already accepted; a rude goodbye changes nothing
    }
  }

  private Reply command(String line) throws IOException {
    out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
    out.flush();
    return read();
  }

  private static void expect(String step, Reply reply, int code) throws Refused {
    if (reply.code() != code) {
      throw new Refused(step, reply);
    }
  }

  /** Reads a reply: lines "250-..." continue it, "250 ..." ends it. */
  private Reply read() throws IOException {
    List<String> lines = new ArrayList<>();
    while (true) {
      String line = readLine();
      if (line.length() < 3 || !line.substring(0, 3).chars().allMatch(Character::isDigit)) {
        throw new IOException("not an SMTP reply: " + abbreviate(line));
      }
      lines.add(line.length() > 4 ? line.substring(4) : "");
      if (line.length() == 3 || line.charAt(3) == ' ') {
        return new Reply(Integer.parseInt(line.substring(0, 3)), lines);
      }
    }
  }

  private String readLine() throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) != '\n') {
      if (b < 0) {
        throw new EOFException("the SMTP server closed the connection");
      }
      if (line.size() > 4096) {
        throw new IOException("an SMTP reply line is too long");
      }
      line.write(b);
    }
    String s = line.toString(StandardCharsets.UTF_8);
    return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
  }

  private static String base64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  private static String abbreviate(String s) {
    return s.length() <= 80 ? s : s.substring(0, 80) + "…";
  }

  @Override
  public void close() {
    if (socket != null) {
      try {
        socket.close();
      } catch (IOException e) {
        // closing
      }
    }
  }
}
