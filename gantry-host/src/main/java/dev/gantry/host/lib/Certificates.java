package dev.gantry.host.lib;

import dev.gantry.core.UserError;
import dev.gantry.core.definition.DefinitionError;
import dev.gantry.core.definition.Names;
import dev.gantry.core.target.FileAttrs;
import dev.gantry.host.ca.CertificateAuthority;
import dev.gantry.host.ca.CertificateAuthority.Issued;
import dev.gantry.host.ca.CertificateAuthority.Subject;
import dev.gantry.host.ca.CertificateAuthority.Use;
import dev.gantry.host.ca.CertificateRenewal;
import dev.gantry.host.ca.CertificateRenewal.Installed;
import dev.gantry.host.ca.CertificateRenewal.Verdict;
import dev.gantry.host.ca.SpinCertificates;
import dev.gantry.host.property.Check;
import dev.gantry.host.property.Context;
import dev.gantry.host.property.Effect;
import dev.gantry.host.property.Info;
import dev.gantry.host.property.Property;
import dev.gantry.host.property.PropertyFailure;
import dev.gantry.host.property.Props;
import dev.gantry.host.property.Result;
import dev.gantry.host.property.SecretRef;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Certificates issued by the team's CA ({@code gantry ca}), installed on a host and renewed
 * before they expire. The spin issues a certificate (with a new key) on the machine it runs on,
 * where the CA's key is decrypted from the vault (the entry {@code gantry-ca-key}), and sends it
 * with the CA's certificate; the CA's key never goes to a host. The host keeps its certificate
 * while it is the CA's, for the wanted names and use, with its key beside it and more than
 * {@code renewBefore} left, and otherwise installs the one sent. A dry run says why it would.
 *
 * <pre>{@code
 * i.host("ci.example.org").with(
 *     Certificates.server("ci", "/etc/gantry/tls/ci.crt", "/etc/gantry/tls/ci.key", "ci.example.org", "10.0.0.5")
 *         .ownedBy("gantry", "gantry").renewBefore(Duration.ofDays(30)),
 *     Certificates.client("collectd", "/etc/collectd/tls/client.crt", "/etc/collectd/tls/client.key"));
 * }</pre>
 */
public final class Certificates {
  /** Renewed this long before expiry unless said. */
  public static final Duration RENEW_BEFORE = Duration.ofDays(30);
  /** Issued for this long unless said (what browsers accept for a server certificate). */
  public static final Duration VALIDITY = Duration.ofDays(397);

  private Certificates() {}

  /** A server certificate for {@code name}, answering on {@code names} (DNS names and IP addresses). */
  public static IssuedCertificate server(String name, String certificatePath, String keyPath, String... names) {
    if (names.length == 0) {
      throw new DefinitionError("certificate '" + name + "': a server certificate needs the names or addresses "
          + "clients use to reach it, e.g. Certificates.server(\"" + name + "\", crt, key, \"ci.example.org\")");
    }
    return new IssuedCertificate(name, certificatePath, keyPath, List.of(names), Use.SERVER, VALIDITY, RENEW_BEFORE,
        null, null);
  }

  /** A client certificate for {@code name} (an agent, collectd). */
  public static IssuedCertificate client(String name, String certificatePath, String keyPath) {
    return new IssuedCertificate(name, certificatePath, keyPath, List.of(), Use.CLIENT, VALIDITY, RENEW_BEFORE,
        null, null);
  }

  /**
   * One issued certificate and its key on a host: the certificate mode 0644, the key 0600,
   * both owned by {@code owner}:{@code group} when given (root otherwise).
   */
  public record IssuedCertificate(String name, String certificatePath, String keyPath, List<String> names, Use use,
      Duration validity, Duration renewBefore, String owner, String group) implements Property {
    public IssuedCertificate {
      Names.require("certificate", name);
      names = List.copyOf(names);
      for (String path : List.of(certificatePath, keyPath)) {
        if (!path.startsWith("/")) {
          throw new DefinitionError("certificate '" + name + "': '" + path + "' is not an absolute path");
        }
      }
      if (certificatePath.equals(keyPath)) {
        throw new DefinitionError("certificate '" + name + "': the certificate and its key need two files, both are "
            + certificatePath);
      }
      if (renewBefore.isNegative() || renewBefore.compareTo(validity) >= 0) {
        throw new DefinitionError("certificate '" + name + "': renewBefore (" + renewBefore.toDays() + " days) must be "
            + "0 or more and shorter than the validity (" + validity.toDays() + " days), or it is renewed at every spin");
      }
      try {
        subject(name, names, use);
      } catch (UserError e) {
        throw new DefinitionError("certificate '" + name + "': " + e.getMessage());
      }
    }

    /** Renewed when less than {@code d} is left (30 days unless said). */
    public IssuedCertificate renewBefore(Duration d) {
      return new IssuedCertificate(name, certificatePath, keyPath, names, use, validity, d, owner, group);
    }

    /** Issued for {@code d} (397 days unless said; never beyond the CA). */
    public IssuedCertificate validFor(Duration d) {
      return new IssuedCertificate(name, certificatePath, keyPath, names, use, d, renewBefore, owner, group);
    }

    /** Both files belong to {@code owner}:{@code group} (the service that reads the key). */
    public IssuedCertificate ownedBy(String o, String g) {
      return new IssuedCertificate(name, certificatePath, keyPath, names, use, validity, renewBefore, o, g);
    }

    @Override
    public String describe() {
      return use.name().toLowerCase() + " certificate " + name + " at " + certificatePath + " from the team CA";
    }

    @Override
    public List<Info> info() {
      return List.of(new Info.CertificateWanted(name, subject(name, names, use), validity));
    }

    @Override
    public Result apply(Context ctx) {
      return Props.checked(describe(), this::check, this::fix).apply(ctx);
    }

    private Check check(Context ctx) {
      Optional<String> cannot = File.cannotWrite(ctx, certificatePath, certificateAttrs(), !ctx.target().exists(certificatePath))
          .or(() -> File.cannotWrite(ctx, keyPath, keyAttrs(), !ctx.target().exists(keyPath)));
      if (cannot.isPresent()) {
        return Check.fails(cannot.get());
      }
      return switch (verdict(ctx)) {
        case Verdict.Impossible i -> Check.fails(i.reason());
        case Verdict.Issue i -> Check.change("issue certificate for " + name + ": " + i.reason())
            .with(new Effect.FileWritten(certificatePath), new Effect.FileWritten(keyPath));
        case Verdict.Keep k -> {
          List<String> notes = new ArrayList<>(File.attrChanges(ctx.target(), keyPath, keyAttrs()));
          notes.addAll(File.attrChanges(ctx.target(), certificatePath, certificateAttrs()));
          yield notes.isEmpty() ? Check.holds() : Check.change(String.join(", ", notes) + " (" + keyPath + ", "
              + certificatePath + ")");
        }
      };
    }

    private void fix(Context ctx, Check.Change change) {
      if (verdict(ctx) instanceof Verdict.Keep) { // only modes or owners differ: the same contents again
        rewrite(ctx, keyPath, keyAttrs());
        rewrite(ctx, certificatePath, certificateAttrs());
        return;
      }
      Issued issued = sent(ctx);
      // the key first: a certificate is never left beside a key that is not its own for longer than this
      ctx.target().write(keyPath, issued.keyPem().getBytes(StandardCharsets.US_ASCII), keyAttrs());
      ctx.target().write(certificatePath, issued.certificatePem().getBytes(StandardCharsets.US_ASCII),
          certificateAttrs());
    }

    private Verdict verdict(Context ctx) {
      Installed installed = new Installed(certificatePath, ctx.target().readText(certificatePath).orElse(null),
          keyPath, ctx.target().readText(keyPath).orElse(null));
      return CertificateRenewal.decide(installed, caCertificate(ctx), subject(name, names, use), renewBefore,
          ctx.clock().instant());
    }

    private static X509Certificate caCertificate(Context ctx) {
      try {
        return SpinCertificates.caCertificate(sentSecret(ctx, SpinCertificates.CA_CERTIFICATE));
      } catch (UserError e) {
        throw new PropertyFailure(e.getMessage());
      }
    }

    /** What the spin sent; not a vault entry, so its absence is not a secret to set. */
    private static String sentSecret(Context ctx, SecretRef ref) {
      return ctx.secrets().get(ref).orElseThrow(() -> new PropertyFailure("the spin sent no " + ref.field()
          + ": the team CA's certificates come with a spin from `gantry host spin` (after `gantry ca init`)"));
    }

    /** The certificate the spin issued for this one, checked before it replaces anything. */
    private Issued sent(Context ctx) {
      try {
        Issued issued = SpinCertificates.issued(sentSecret(ctx, SpinCertificates.issuedRef(name, ctx.hostName())), name);
        if (!(CertificateRenewal.decide(new Installed(certificatePath, issued.certificatePem(), keyPath, issued.keyPem()),
            caCertificate(ctx), subject(name, names, use), renewBefore, ctx.clock().instant()) instanceof Verdict.Keep)) {
          throw new PropertyFailure("the certificate this spin issued for " + name + " is not one to install (is this"
              + " machine's clock far from the host's?)");
        }
        return issued;
      } catch (UserError e) {
        throw new PropertyFailure(e.getMessage());
      }
    }

    private static void rewrite(Context ctx, String path, FileAttrs attrs) {
      byte[] content = ctx.target().read(path).orElseThrow(() -> new PropertyFailure(path + " vanished"));
      ctx.target().write(path, content, attrs);
    }

    private FileAttrs keyAttrs() {
      return new FileAttrs(0600, owner, group);
    }

    private FileAttrs certificateAttrs() {
      return new FileAttrs(0644, owner, group);
    }

    private static Subject subject(String name, List<String> names, Use use) {
      String[] all = names.toArray(String[]::new);
      return new Subject(name, Arrays.stream(all).filter(n -> !CertificateAuthority.isIpAddress(n)).toList(),
          Arrays.stream(all).filter(CertificateAuthority::isIpAddress).toList(), use);
    }
  }
}
