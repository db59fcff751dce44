package dev.gantry.host.ssh;

import dev.gantry.core.process.ProcessResult;
import dev.gantry.core.process.TailBuffer;
import dev.gantry.core.target.Target;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.client.keyverifier.ServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.AttributeRepository;
import org.apache.sshd.common.NamedFactory;
import org.apache.sshd.common.signature.Signature;
import org.apache.sshd.common.kex.KeyExchangeFactory;
import org.apache.sshd.common.keyprovider.FileKeyPairProvider;

/**
 * One SSH connection (Apache MINA SSHD) to a host, verified against known_hosts and
 * authenticated with private keys. Commands run as the login user; {@link #privileged}
 * wraps a command in {@code sudo -n} when that user is not root, and {@link #target()}
 * gives a {@link Target} that always acts as root.
 *
 * <pre>{@code
 * try (SshConnection ssh = SshConnection.connect(new SshEndpoint("127.0.0.1", 2222, "root"),
 *                                                SshOptions.defaults())) {
 *   ProcessResult r = ssh.exec("uname -r");
 *   ssh.target().write("/etc/motd", "hi\n".getBytes(UTF_8), FileAttrs.mode(0644));
 *   int code = ssh.exec(ssh.privileged("apt-get update"), null, out::println, err::println,
 *                       Duration.ofMinutes(5));
 * }
 * }</pre>
 */
public final class SshConnection implements AutoCloseable {
  /** The host-key check of a connection, handed to the shared client's verifier. */
  private static final AttributeRepository.AttributeKey<ServerKeyVerifier> HOST_KEY_CHECK =
      new AttributeRepository.AttributeKey<>();
  // one client per host key type asked for first ("" for the library's order): a client's
  // algorithms are fixed once it has started
  private static final Map<String, SshClient> CLIENTS = new HashMap<>();

  private final SshEndpoint endpoint;
  private final ClientSession session;
  private final SshTarget target;

  private SshConnection(SshEndpoint endpoint, ClientSession session) {
    this.endpoint = endpoint;
    this.session = session;
    this.target = new SshTarget(this);
  }

  /**
   * Starts the process's SSH client in the background (its classes load and its threads
   * start while the caller does other work), so that a first {@link #connect} is quicker.
   */
  public static void prepare() {
    dev.gantry.core.process.Background.run(SshConnection::client);
  }

  /**
   * One client for the whole process (its setup is the costly part); each connection
   * brings its own host-key check through the connection context.
   */
  private static SshClient client() {
    return client("");
  }

  /**
   * The client that asks the server for a host key of {@code keyType} first (as OpenSSH does
   * for a host known_hosts already has a key of): a server with keys of several types would
   * otherwise present the one this library prefers, which known_hosts may not hold, and the
   * connection be refused as a changed key.
   */
  private static synchronized SshClient client(String keyType) {
    SshClient shared = CLIENTS.get(keyType);
    if (shared == null) {
      SshClient c = SshClient.setUpDefaultClient();
      c.setKeyExchangeFactories(preferCurve25519(c.getKeyExchangeFactories()));
      if (!keyType.isEmpty()) {
        c.setSignatureFactories(preferHostKeyType(c.getSignatureFactories(), keyType));
      }
      c.setServerKeyVerifier((session, remote, key) -> {
        AttributeRepository ctx = session.getConnectionContext();
        ServerKeyVerifier check = ctx == null ? null : ctx.getAttribute(HOST_KEY_CHECK);
        return check != null && check.verifyServerKey(session, remote, key);
      });
      c.start();
      shared = c;
      CLIENTS.put(keyType, c);
    }
    return shared;
  }

  /** The signature algorithms of a key of {@code keyType} first, the others after in their order. */
  static List<NamedFactory<Signature>> preferHostKeyType(List<NamedFactory<Signature>> all, String keyType) {
    List<NamedFactory<Signature>> out = new ArrayList<>();
    all.stream().filter(f -> signsWith(f.getName(), keyType)).forEach(out::add);
    all.stream().filter(f -> !out.contains(f)).forEach(out::add);
    return out;
  }

  /** An ssh-rsa key signs as rsa-sha2-512 and rsa-sha2-256 too. */
  private static boolean signsWith(String algorithm, String keyType) {
    return algorithm.equals(keyType) || keyType.equals("ssh-rsa") && algorithm.startsWith("rsa-sha2-");
  }

  /**
   * Connects and authenticates within {@link SshOptions#connectTimeout()} in all; for a user
   * other than root also checks that {@code sudo -n} works. Failures are {@link SshFailure}s
   * that say what happened (TCP connect timed out, no SSH greeting, host key, refused key)
   * and what to do.
   */
  public static SshConnection connect(SshEndpoint ep, SshOptions options) {
    List<KeyPair> keys = loadKeys(options.identities());
    long deadline = System.nanoTime() + options.connectTimeout().toNanos();
    SshClient client = client(HostKeyCheck.knownTypes(options.knownHosts(), ep).stream().findFirst().orElse(""));
    AtomicReference<SshFailure> refusal = new AtomicReference<>();
    AttributeRepository context = AttributeRepository.ofKeyValuePair(HOST_KEY_CHECK,
        HostKeyCheck.of(options, ep, refusal));
    ClientSession session = null;
    try {
      try {
        session = client.connect(ep.user(), ep.host(), ep.port(), context, null)
            .verify(options.connectTimeout()).getSession();
      } catch (IOException e) {
        throw unreachable(ep, e, options.connectTimeout());
      }
      for (KeyPair k : keys) {
        session.addPublicKeyIdentity(k);
      }
      try {
        session.auth().verify(Duration.ofNanos(Math.max(1_000_000, deadline - System.nanoTime())));
      } catch (IOException e) {
        if (refusal.get() != null) {
          throw refusal.get();
        }
        if (timedOut(e, deadline)) {
          throw silent(ep, session, options.connectTimeout(), e);
        }
        throw new SshFailure(SshFailure.Kind.AUTHENTICATION, ep + " refused to log in with "
            + (keys.isEmpty() ? "no key (none of ~/.ssh/id_ed25519, id_ecdsa, id_rsa exists; pass --identity)"
            : "the key(s) " + options.identities()) + ": " + rootMessage(e), e);
      }
      SshConnection c = new SshConnection(ep, session);
      if (ep.needsSudo()) {
        ProcessResult r = c.exec("sudo -n true");
        if (!r.ok()) {
          c.close();
          throw new SshFailure(SshFailure.Kind.NO_SUDO, "user " + ep.user() + " on " + ep.host()
              + " cannot run sudo without a password (sudo -n true: " + r.tail()
              + "); give it password-less sudo or connect as root");
        }
      }
      return c;
    } catch (RuntimeException e) {
      if (session != null) {
        session.close(true);
      }
      if (refusal.get() != null && !(e instanceof SshFailure f && f.kind() != SshFailure.Kind.UNREACHABLE)) {
        throw refusal.get();
      }
      throw e;
    }
  }

  public SshEndpoint endpoint() {
    return endpoint;
  }

  /** A target acting as root on the host (through {@code sudo -n} for other users). */
  public Target target() {
    return target;
  }

  /** {@code command} wrapped so it runs as root: unchanged for root, else {@code sudo -n sh -c '...'}. */
  public String privileged(String command) {
    return endpoint.needsSudo() ? "sudo -n sh -c " + quote(command) : command;
  }

  /** Runs a shell command as the login user and collects its output. */
  public ProcessResult exec(String command) {
    return exec(command, (byte[]) null);
  }

  /**
   * Runs a shell command with {@code stdin} (may be null) and collects its output; the
   * result names the command line as its one argument.
   */
  public ProcessResult exec(String command, byte[] stdin) {
    return exec(List.of(command), command, stdin, Duration.ofMinutes(30));
  }

  /**
   * Runs {@code command}, a result naming it as {@code shown} (e.g. the argv before quoting and
   * sudo) with the last 4 MiB of each stream, as a local {@code Command} keeps; a command that
   * outlives {@code timeout} is reported timed out and its channel closed.
   */
  ProcessResult exec(List<String> shown, String command, byte[] stdin, Duration timeout) {
    long start = System.nanoTime();
    TailBuffer out = TailBuffer.standard();
    TailBuffer err = TailBuffer.standard();
    Integer code = runChannel(command, stdin == null ? null : new ByteArrayInputStream(stdin), out, err, timeout);
    return new ProcessResult(shown, code == null ? -1 : code, out.text(), err.text(),
        Duration.ofNanos(System.nanoTime() - start), code == null);
  }

  /**
   * Runs a shell command streaming stdin from {@code stdin} (may be null) and handing each
   * output line to the consumers as it arrives; returns the exit status (-1 when the
   * channel closed without one, e.g. the connection dropped).
   */
  public int exec(String command, InputStream stdin, Consumer<String> stdout, Consumer<String> stderr,
                  Duration timeout) {
    try (LineSink out = new LineSink(stdout); LineSink err = new LineSink(stderr)) {
      return run(command, stdin, out, err, timeout);
    }
  }

  /** The raw bytes a command printed, for binary output. */
  record Raw(int exit, byte[] out, byte[] err) {}

  Raw execRaw(String command, InputStream stdin, Duration timeout) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = run(command, stdin, out, err, timeout);
    return new Raw(code, out.toByteArray(), err.toByteArray());
  }

  /** Runs {@code command} with its streams connected; throws when it outlives {@code timeout}. */
  int run(String command, InputStream stdin, OutputStream out, OutputStream err, Duration timeout) {
    Integer code = runChannel(command, stdin, out, err, timeout);
    if (code == null) {
      throw new SshFailure(SshFailure.Kind.CHANNEL, "command on " + endpoint + " timed out after " + timeout);
    }
    return code;
  }

  /** The exit status (-1 when the channel closed without one), or null when the command outlived {@code timeout}. */
  private Integer runChannel(String command, InputStream stdin, OutputStream out, OutputStream err, Duration timeout) {
    try (ChannelExec ch = session.createExecChannel(command)) {
      ch.setIn(stdin == null ? InputStream.nullInputStream() : stdin);
      ch.setOut(out);
      ch.setErr(err);
      ch.open().verify(Duration.ofSeconds(30));
      Set<ClientChannelEvent> ev = ch.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), timeout);
      if (!ev.contains(ClientChannelEvent.CLOSED)) {
        return null;
      }
      Integer status = ch.getExitStatus();
      return status == null ? -1 : status;
    } catch (IOException e) {
      throw new SshFailure(SshFailure.Kind.CHANNEL, "running a command on " + endpoint + " failed: "
          + rootMessage(e), e);
    }
  }

  @Override
  public void close() {
    // every command has ended (each waits for its channel to close): nothing is left to flush
    session.close(true);
  }

  /**
   * curve25519-sha256 first: the post-quantum hybrids (sntrup761, ML-KEM) are computed in
   * Java and cost about 0.2 s of CPU per connection, which dominates spinning many hosts;
   * they stay offered after it.
   */
  private static List<KeyExchangeFactory> preferCurve25519(List<KeyExchangeFactory> all) {
    List<KeyExchangeFactory> out = new ArrayList<>();
    for (String first : List.of("curve25519-sha256", "curve25519-sha256@libssh.org")) {
      all.stream().filter(f -> f.getName().equals(first)).forEach(out::add);
    }
    all.stream().filter(f -> !out.contains(f)).forEach(out::add);
    return out;
  }

  /** Single-quotes a word for the remote shell. */
  public static String quote(String s) {
    return "'" + s.replace("'", "'\\''") + "'";
  }

  private static List<KeyPair> loadKeys(List<Path> identities) {
    List<KeyPair> out = new ArrayList<>();
    for (Path p : identities) {
      if (!Files.isRegularFile(p)) {
        throw new SshFailure(SshFailure.Kind.AUTHENTICATION, "SSH key " + p + " does not exist");
      }
      try {
        FileKeyPairProvider provider = new FileKeyPairProvider(p);
        for (KeyPair k : provider.loadKeys(null)) {
          out.add(k);
        }
      } catch (Exception e) {
        throw new SshFailure(SshFailure.Kind.AUTHENTICATION, "cannot read SSH key " + p + ": " + rootMessage(e)
            + " (keys protected by a passphrase are not supported; use an unencrypted deploy key)", e);
      }
    }
    return out;
  }

  private static SshFailure unreachable(SshEndpoint ep, IOException e, Duration timeout) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    if (timedOut(e, Long.MAX_VALUE)) {
      return new SshFailure(SshFailure.Kind.CONNECT_TIMEOUT, "cannot reach " + ep.host() + ":" + ep.port()
          + ": the TCP connection was not accepted within " + seconds(timeout) + " (the host is down, or a firewall"
          + " drops the packets; --connect-timeout sets the wait)", e);
    }
    String why = root instanceof ConnectException ? "connection refused (is sshd listening on port " + ep.port() + "?)"
        : root instanceof UnknownHostException ? "unknown host name"
        : root instanceof NoRouteToHostException ? "no route to host"
        : rootMessage(e);
    return new SshFailure(SshFailure.Kind.UNREACHABLE, "cannot reach " + ep.host() + ":" + ep.port() + ": " + why, e);
  }

  /** The connection was accepted but the SSH handshake did not finish in time: which step was missing. */
  private static SshFailure silent(SshEndpoint ep, ClientSession session, Duration timeout, IOException e) {
    String where = ep.host() + ":" + ep.port();
    if (session.getServerVersion() == null) {
      return new SshFailure(SshFailure.Kind.NO_BANNER, where + " accepted the TCP connection but sent no SSH greeting"
          + " within " + seconds(timeout) + ": is something other than sshd listening on port " + ep.port()
          + ", or is sshd overloaded?", e);
    }
    if (session.getServerKey() == null) {
      return new SshFailure(SshFailure.Kind.NO_BANNER, where + " (" + session.getServerVersion() + ") did not finish"
          + " the SSH key exchange within " + seconds(timeout), e);
    }
    return new SshFailure(SshFailure.Kind.AUTHENTICATION, where + " did not answer the login as " + ep.user()
        + " within " + seconds(timeout) + " (a slow PAM or name lookup on the host?)", e);
  }

  /** Whether {@code e} is a timeout, or happened at the deadline. */
  private static boolean timedOut(IOException e, long deadline) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof java.util.concurrent.TimeoutException || t instanceof java.net.SocketTimeoutException
          || t.getMessage() != null && t.getMessage().toLowerCase(java.util.Locale.ROOT).contains("timeout")) {
        return true;
      }
    }
    return System.nanoTime() >= deadline;
  }

  private static String seconds(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
  }

  static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String m = root.getMessage();
    return m == null ? root.getClass().getSimpleName() : m;
  }
}
