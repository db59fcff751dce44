package dev.gantry.cli;

import dev.gantry.core.UserError;
import dev.gantry.host.ssh.SshConnection;
import dev.gantry.host.ssh.SshEndpoint;
import dev.gantry.host.ssh.SshOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.time.Duration;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.server.Environment;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;

/**
 * The SSH part of the start-up training: host commands open SSH sessions, and the classes of
 * the SSH client, its key exchange and its cryptography are most of what those commands load.
 * This logs in, as {@code gantry host spin} does, to an SSH server of its own on loopback (an
 * ed25519 host key and user key made in the training folder, the host key in a known_hosts
 * file there) and runs one command that echoes its input.
 *
 * <pre>{@code
 * SshTraining.run(dir.resolve("ssh"));
 * }</pre>
 */
final class SshTraining {
  private static final String INPUT = "{\"training\":true}\n";

  private SshTraining() {}

  static void run(Path dir) throws IOException, GeneralSecurityException {
    Files.createDirectories(dir);
    KeyPair hostKey = KeyUtils.generateKeyPair(KeyPairProvider.SSH_ED25519, 256);
    KeyPair userKey = KeyUtils.generateKeyPair(KeyPairProvider.SSH_ED25519, 256);
    Path identity = dir.resolve("id_ed25519");
    try (OutputStream out = Files.newOutputStream(identity)) {
      OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(userKey, "training", null, out);
    }
    SshServer server = SshServer.setUpDefaultServer();
    server.setHost("127.0.0.1");
    server.setPort(0);
    server.setKeyPairProvider(KeyPairProvider.wrap(hostKey));
    server.setPublickeyAuthenticator((user, key, session) -> KeyUtils.compareKeys(key, userKey.getPublic()));
    server.setCommandFactory((channel, command) -> new Echo());
    server.start();
    try {
      Path knownHosts = dir.resolve("known_hosts");
      Files.writeString(knownHosts, "[127.0.0.1]:" + server.getPort() + " "
          + PublicKeyEntry.toString(hostKey.getPublic()) + "\n");
      SshOptions options = SshOptions.defaults().withKnownHosts(knownHosts).withIdentity(identity)
          .withConnectTimeout(Duration.ofSeconds(30));
      try (SshConnection ssh = SshConnection.connect(new SshEndpoint("127.0.0.1", server.getPort(), "root"), options)) {
        String echoed = ssh.exec("cat", INPUT.getBytes(StandardCharsets.UTF_8)).stdout();
        if (!echoed.equals(INPUT)) {
          throw new UserError("the training's SSH server echoed '" + echoed.strip() + "'");
        }
      }
    } finally {
      server.stop(true);
    }
  }

  /** Copies the session's input to its output, then exits 0. */
  private static final class Echo implements Command {
    private InputStream in;
    private OutputStream out;
    private ExitCallback exit;

    @Override
    public void setInputStream(InputStream in) {
      this.in = in;
    }

    @Override
    public void setOutputStream(OutputStream out) {
      this.out = out;
    }

    @Override
    public void setErrorStream(OutputStream err) {}

    @Override
    public void setExitCallback(ExitCallback callback) {
      this.exit = callback;
    }

    @Override
    public void start(ChannelSession channel, Environment env) {
      Thread.ofVirtual().name("training-echo").start(() -> {
        try {
          in.transferTo(out);
          out.flush();
          exit.onExit(0);
        } catch (IOException e) {
          exit.onExit(1, e.getMessage());
        }
      });
    }

    @Override
    public void destroy(ChannelSession channel) {}
  }
}
