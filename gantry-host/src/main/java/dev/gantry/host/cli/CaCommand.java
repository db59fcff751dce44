package dev.gantry.host.cli;

import dev.gantry.core.UserError;
import dev.gantry.core.cli.DurationConverter;
import dev.gantry.core.infra.HostSpec;
import dev.gantry.core.infra.InfraDefinition;
import dev.gantry.core.infra.Infrastructure;
import dev.gantry.core.target.FileAttrs;
import dev.gantry.core.target.LocalTarget;
import dev.gantry.core.tls.PemFiles;
import dev.gantry.core.tls.ServerTrust;
import dev.gantry.host.ca.CertificateAuthority;
import dev.gantry.host.ca.CertificateAuthority.Issued;
import dev.gantry.host.ca.TeamCa;
import dev.gantry.host.ca.CertificateAuthority.Subject;
import dev.gantry.host.ca.CertificateAuthority.Use;
import dev.gantry.host.property.SecretRef;
import dev.gantry.host.ssh.RecordedAddresses;
import dev.gantry.host.vault.Vault;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code gantry ca}: the team's own certificate authority. Its certificate is
 * {@code ca/ca.crt} in the infrastructure repository (public: clients trust it); its key is a
 * vault entry ({@code gantry-ca-key} for {@code any}), encrypted to the team's keys like every
 * secret, so issuing needs a key of the vault's keyring.
 *
 * <pre>{@code
 * gantry ca init --name "Example Co"
 * gantry ca issue ci --dns ci.example.org --ip 10.0.0.5 --out /etc/gantry
 * gantry up --host 0.0.0.0 --tls-cert /etc/gantry/ci.crt --tls-key /etc/gantry/ci.key
 * }</pre>
 */
@Command(name = "ca", mixinStandardHelpOptions = true, subcommands = {CaCommand.Init.class, CaCommand.Issue.class},
    description = "A certificate authority for the team's servers and clients, its key in the vault.")
public final class CaCommand implements Callable<Integer> {
  /** The vault entry holding the CA's private key and certificate (PEM; see {@link TeamCa}). */
  public static final SecretRef KEY = TeamCa.VAULT_ENTRY;
  /** The CA's certificate, relative to the infrastructure repository. */
  public static final Path CERTIFICATE = Path.of("ca", "ca.crt");

  @Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--infra", paramLabel = "DIR", defaultValue = ".", scope = CommandLine.ScopeType.INHERIT,
      description = "The infrastructure repository (holds vault/, ca/ and infra/).")
  Path infra;

  @Option(names = "--secret-key", paramLabel = "FILE", scope = CommandLine.ScopeType.INHERIT,
      description = "Exported OpenPGP secret key to decrypt the CA key with (passphrase in GANTRY_VAULT_PASSPHRASE); "
          + "default: gpg.")
  Path secretKey;

  private final InstantSource clock;

  public CaCommand() {
    this(InstantSource.system());
  }

  /** With another clock (tests issue certificates at chosen times). */
  public CaCommand(InstantSource clock) {
    this.clock = clock;
  }

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return 2;
  }

  @Command(name = "init", mixinStandardHelpOptions = true,
      description = "Make the CA: ca/ca.crt and its key in the vault, encrypted to every key of the keyring.")
  static final class Init implements Callable<Integer> {
    @ParentCommand
    CaCommand parent;
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--name", paramLabel = "NAME", defaultValue = "Gantry CA",
        description = "The CA's common name (default: ${DEFAULT-VALUE}).")
    String name;

    @Option(names = "--valid", paramLabel = "DURATION", defaultValue = "3650d", converter = DurationConverter.class,
        description = "How long the CA is valid (default: ${DEFAULT-VALUE}).")
    Duration validity;

    @Option(names = "--force", description = "Replace an existing CA (every certificate it issued must be issued again).")
    boolean force;

    @Override
    public Integer call() {
      Path certFile = parent.infra.resolve(CERTIFICATE);
      Vault vault = Vault.open(parent.infra);
      if (!force && (Files.exists(certFile) || vault.has(KEY))) {
        throw new UserError(parent.infra + " already has a CA (" + CERTIFICATE + ", vault entry " + KEY.field()
            + "); --force replaces it, and every certificate it issued must then be issued again");
      }
      if (!Files.exists(vault.keyringFile())) {
        throw new UserError("the vault of " + parent.infra + " has no keyring (" + vault.keyringFile() + ") to "
            + "encrypt the CA key to; add the team's keys first: gantry vault add-key KEYFILE");
      }
      Issued ca = CertificateAuthority.create(name, validity, parent.clock);
      vault.set(KEY, TeamCa.vaultEntry(ca).getBytes(StandardCharsets.US_ASCII));
      write(certFile, ca.certificatePem(), false);
      PrintWriter out = spec.commandLine().getOut();
      out.println("made the CA '" + name + "', valid until " + ca.notAfter());
      out.println("  certificate: " + certFile + " (commit it; clients trust it)");
      out.println("  key:         vault entry " + KEY.field() + " for " + KEY.context() + ", encrypted to the keyring");
      out.println("  SHA-256 fingerprint: " + fingerprint(ca.certificate()));
      out.println("next: gantry ca issue NAME --dns NAME --ip ADDRESS");
      out.flush();
      return 0;
    }
  }

  @Command(name = "issue", mixinStandardHelpOptions = true,
      description = "Issue a certificate signed by the CA: NAME.crt (with the CA's) and NAME.key (mode 0600).")
  static final class Issue implements Callable<Integer> {
    @ParentCommand
    CaCommand parent;
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME",
        description = "Who it is for; a host of the definition also gets its name and address as names.")
    String name;

    @Option(names = "--dns", paramLabel = "NAME", description = "A DNS name clients use (repeatable).")
    List<String> dns = new ArrayList<>();

    @Option(names = "--ip", paramLabel = "ADDRESS", description = "An IP address clients use (repeatable).")
    List<String> ips = new ArrayList<>();

    @Option(names = "--client", description = "A client certificate (agents, collectd) instead of a server's.")
    boolean client;

    @Option(names = "--valid", paramLabel = "DURATION", defaultValue = "397d", converter = DurationConverter.class,
        description = "How long it is valid (default: ${DEFAULT-VALUE}, never beyond the CA).")
    Duration validity;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = ".",
        description = "Where NAME.crt and NAME.key are written (default: the current folder).")
    Path out;

    @Override
    public Integer call() {
      Path certFile = parent.infra.resolve(CERTIFICATE);
      if (!Files.exists(certFile)) {
        throw new UserError(parent.infra + " has no CA (" + CERTIFICATE + "); make one first: gantry ca init");
      }
      X509Certificate caCert = PemFiles.certificates(certFile).get(0);
      byte[] keyPem = Vault.open(parent.infra).find(KEY, VaultCommand.decryptor(parent.secretKey))
          .orElseThrow(() -> new UserError("the vault of " + parent.infra + " has no " + KEY.field()
              + " entry: the CA's key is missing (gantry ca init --force makes a new CA)"));
      Issued ca = new Issued(caCert, PemFiles.privateKey(new String(keyPem, StandardCharsets.US_ASCII),
          "the vault entry " + KEY.field()));
      List<String> dnsNames = new ArrayList<>(dns);
      List<String> addresses = new ArrayList<>(ips);
      hostAddress().ifPresent(a -> {
        if (!dnsNames.contains(name) && !CertificateAuthority.isIpAddress(name)) {
          dnsNames.add(name);
        }
        List<String> to = CertificateAuthority.isIpAddress(a) ? addresses : dnsNames;
        if (!to.contains(a)) {
          to.add(a);
        }
      });
      Issued issued = CertificateAuthority.issue(ca, new Subject(name, dnsNames, addresses,
          client ? Use.CLIENT : Use.SERVER), validity, parent.clock);
      Path crt = out.resolve(name + ".crt");
      Path key = out.resolve(name + ".key");
      write(crt, issued.certificatePem() + ca.certificatePem(), false);
      write(key, issued.keyPem(), true);
      PrintWriter o = spec.commandLine().getOut();
      o.println("issued a " + (client ? "client" : "server") + " certificate for " + name + ", valid until "
          + issued.notAfter());
      if (!dnsNames.isEmpty() || !addresses.isEmpty()) {
        o.println("  names:       " + String.join(", ", dnsNames) + (dnsNames.isEmpty() || addresses.isEmpty() ? "" : ", ")
            + String.join(", ", addresses));
      }
      o.println("  certificate: " + crt + " (with the CA's)");
      o.println("  key:         " + key + " (mode 0600; never commit it)");
      o.flush();
      return 0;
    }

    /** The definition's address of host {@code name}, when the repository has a definition with that host. */
    private Optional<String> hostAddress() {
      Path source;
      try {
        source = InfraDefinition.source(parent.infra);
      } catch (UserError noDefinition) {
        return Optional.empty();
      }
      Infrastructure infra = InfraDefinition.load(source);
      return infra.hosts().stream().filter(h -> h.name().equals(name)).findFirst()
          .map(h -> RecordedAddresses.read(parent.infra).addressOf(h)).filter(a -> a != null && !a.isBlank());
    }
  }

  /** The SHA-256 of the certificate's DER encoding, as openssl prints it and {@code --pin} takes it. */
  public static String fingerprint(X509Certificate cert) {
    return ServerTrust.fingerprint(cert).toUpperCase(Locale.ROOT).replaceAll("(..)(?!$)", "$1:");
  }

  /** Written atomically, with its folders, as every file Gantry writes on a machine. */
  private static void write(Path file, String text, boolean secret) {
    LocalTarget.thisMachine().writeMakingFolders(file.toAbsolutePath().toString(),
        text.getBytes(StandardCharsets.US_ASCII), FileAttrs.secretIf(secret));
  }
}
