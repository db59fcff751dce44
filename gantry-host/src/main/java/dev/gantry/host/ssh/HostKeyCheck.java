package dev.gantry.host.ssh;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.sshd.client.keyverifier.ServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.config.keys.PublicKeyEntry;

/**
 * Checks the server's host key against an OpenSSH known_hosts file: a known key passes, a
 * different key for the same host is refused (as is a {@code @revoked} one), an unknown
 * key is refused unless accepting new keys was asked for (then a line is appended).
 * Entries are compared as text (type and base64 blob), hashed host names included, so
 * nothing but the server's own key is parsed. Remembers why it refused, for the message.
 */
final class HostKeyCheck implements ServerKeyVerifier {
  private static final Object APPENDING = new Object();

  private final Path file;
  private final SshEndpoint endpoint;
  private final boolean acceptNew;
  private final AtomicReference<SshFailure> refusal;

  private HostKeyCheck(Path file, SshEndpoint endpoint, boolean acceptNew, AtomicReference<SshFailure> refusal) {
    this.file = file;
    this.endpoint = endpoint;
    this.acceptNew = acceptNew;
    this.refusal = refusal;
  }

  static HostKeyCheck of(SshOptions options, SshEndpoint ep, AtomicReference<SshFailure> refusal) {
    return new HostKeyCheck(options.knownHosts(), ep, options.acceptNewHostKey(), refusal);
  }

  private record Entry(String marker, String type, String blob, int line) {}

  /** The types of the keys {@code knownHosts} holds for {@code ep} (not revoked), in the file's order. */
  static List<String> knownTypes(Path knownHosts, SshEndpoint ep) {
    if (knownHosts == null) {
      return List.of();
    }
    return new HostKeyCheck(knownHosts, ep, false, new AtomicReference<>()).entries(ep.knownHostsName()).stream()
        .filter(e -> e.marker() == null).map(Entry::type).distinct().toList();
  }

  @Override
  public boolean verifyServerKey(ClientSession session, SocketAddress remote, PublicKey key) {
    String[] presented = PublicKeyEntry.toString(key).split(" ");
    String type = presented[0];
    String blob = presented[1];
    String name = endpoint.knownHostsName();
    List<Entry> matching = entries(name);
    for (Entry e : matching) {
      if ("@revoked".equals(e.marker()) && e.blob().equals(blob)) {
        return refuse(new SshFailure(SshFailure.Kind.HOST_KEY_MISMATCH, "the host key of " + name + " ("
            + type + " " + fingerprint(blob) + ") is marked @revoked in " + file + " line " + e.line()
            + "; refusing to connect"));
      }
    }
    List<Entry> plain = matching.stream().filter(e -> e.marker() == null).toList();
    if (plain.stream().anyMatch(e -> e.blob().equals(blob))) {
      return true;
    }
    if (!plain.isEmpty()) {
      Entry known = plain.stream().filter(e -> e.type().equals(type)).findFirst().orElse(plain.get(0));
      return refuse(new SshFailure(SshFailure.Kind.HOST_KEY_MISMATCH, "HOST KEY MISMATCH for " + name
          + ": the server presented " + type + " " + fingerprint(blob) + " but " + file + " line " + known.line()
          + " has " + known.type() + " " + fingerprint(known.blob()) + ". Someone may be intercepting the"
          + " connection, or the host was reinstalled; refusing to connect. If the change is expected, remove"
          + " the old line from " + file));
    }
    if (!acceptNew) {
      return refuse(new SshFailure(SshFailure.Kind.HOST_KEY_UNKNOWN, "the host key of " + name + " (" + type + " "
          + fingerprint(blob) + ") is not in " + file + "; check the fingerprint with the host's administrator,"
          + " then run again with --accept-new-host-key"));
    }
    append(name + " " + type + " " + blob + "\n");
    return true;
  }

  private boolean refuse(SshFailure f) {
    refusal.set(f);
    return false;
  }

  private List<Entry> entries(String name) {
    List<Entry> out = new ArrayList<>();
    if (!Files.isRegularFile(file)) {
      return out;
    }
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
    for (int i = 0; i < lines.size(); i++) {
      String l = lines.get(i).strip();
      if (l.isEmpty() || l.startsWith("#")) {
        continue;
      }
      String[] f = l.split("\\s+");
      int at = 0;
      String marker = null;
      if (f[0].startsWith("@")) {
        marker = f[0];
        at = 1;
      }
      if (f.length < at + 3 || "@cert-authority".equals(marker)) {
        continue;
      }
      if (hostMatches(f[at], name)) {
        out.add(new Entry(marker, f[at + 1], f[at + 2], i + 1));
      }
    }
    return out;
  }

  static boolean hostMatches(String patterns, String name) {
    boolean hit = false;
    for (String p : patterns.split(",")) {
      boolean negated = p.startsWith("!");
      String pat = negated ? p.substring(1) : p;
      boolean m = pat.startsWith("|1|") ? hashedMatches(pat, name) : glob(pat, name);
      if (m && negated) {
        return false;
      }
      hit |= m;
    }
    return hit;
  }

  private static boolean hashedMatches(String pattern, String name) {
    String[] parts = pattern.split("\\|");
    if (parts.length != 4) {
      return false;
    }
    try {
      Mac mac = Mac.getInstance("HmacSHA1");
      mac.init(new SecretKeySpec(Base64.getDecoder().decode(parts[2]), "HmacSHA1"));
      byte[] h = mac.doFinal(name.getBytes(StandardCharsets.UTF_8));
      return MessageDigest.isEqual(h, Base64.getDecoder().decode(parts[3]));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      return false;
    }
  }

  private static boolean glob(String pattern, String name) {
    StringBuilder re = new StringBuilder();
    for (char c : pattern.toCharArray()) {
      switch (c) {
        case '*' -> re.append(".*");
        case '?' -> re.append('.');
        default -> re.append(java.util.regex.Pattern.quote(String.valueOf(c)));
      }
    }
    return name.matches(re.toString());
  }

  private static String fingerprint(String blob) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(Base64.getDecoder().decode(blob));
      return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(d);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      return "(unreadable key)";
    }
  }

  /**
   * Appends under a lock of this process and a file lock, creating the file (mode 0600) when it
   * is missing: spins connect to several hosts at once, each with a check of its own, and two
   * processes may share the file.
   */
  private void append(String line) {
    synchronized (APPENDING) {
      try {
        if (file.getParent() != null) {
          Files.createDirectories(file.getParent());
        }
        try (FileChannel ch = FileChannel.open(file, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            StandardOpenOption.APPEND), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            FileLock lock = ch.lock()) {
          ch.write(ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8)));
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot record the host key in " + file + ": " + e.getMessage(), e);
      }
    }
  }

}
