package dev.gantry.core.notify;

import dev.gantry.core.UserError;
import dev.gantry.core.config.Secret;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.SSLContext;

/**
 * Where and how {@link EmailNotifier} sends mail.
 *
 * <pre>{@code
 * SmtpSettings smtp = SmtpSettings.of("smtp.example.com", 587, "gantry@example.com", List.of("ops@example.com"))
 *     .security(SmtpSettings.Security.STARTTLS)
 *     .login("gantry", config.get(SMTP_PASSWORD));
 * }</pre>
 *
 * <p>A login is only sent over TLS: {@code Security.NONE} with a login is refused.
 *
 * @param security NONE (plain, e.g. a local relay), STARTTLS (upgrade, port 587) or TLS (port 465)
 * @param username null for no login
 * @param sslContext trust and keys for TLS; the JVM's default when null
 * @param heloName the name this client gives in EHLO
 */
public record SmtpSettings(String host, int port, Security security, String username, Secret password, String from,
    List<String> to, Duration timeout, SSLContext sslContext, String heloName) {

  /** How the connection is protected. */
  public enum Security { NONE, STARTTLS, TLS }

  public SmtpSettings {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(security, "security");
    Objects.requireNonNull(timeout, "timeout");
    if (port < 1 || port > 65535) {
      throw new UserError("SMTP port must be from 1 to 65535, not " + port);
    }
    checkAddress(from);
    if (to == null || to.isEmpty()) {
      throw new UserError("e-mail notifications need at least one recipient");
    }
    to = List.copyOf(to);
    to.forEach(SmtpSettings::checkAddress);
    if (username != null && password == null) {
      throw new UserError("SMTP login '" + username + "' has no password");
    }
    if (username != null && security == Security.NONE) {
      throw new UserError("SMTP login needs TLS: set the security to STARTTLS or TLS so the password is not sent in clear");
    }
    heloName = heloName == null ? "localhost" : heloName;
  }

  /** Plain SMTP to {@code host:port}, no login, 30 s timeout. */
  public static SmtpSettings of(String host, int port, String from, List<String> to) {
    return new SmtpSettings(host, port, Security.NONE, null, null, from, to, Duration.ofSeconds(30), null, null);
  }

  public SmtpSettings security(Security s) {
    return new SmtpSettings(host, port, s, username, password, from, to, timeout, sslContext, heloName);
  }

  public SmtpSettings login(String user, Secret secret) {
    return new SmtpSettings(host, port, security, user, secret, from, to, timeout, sslContext, heloName);
  }

  public SmtpSettings timeout(Duration t) {
    return new SmtpSettings(host, port, security, username, password, from, to, t, sslContext, heloName);
  }

  public SmtpSettings sslContext(SSLContext context) {
    return new SmtpSettings(host, port, security, username, password, from, to, timeout, context, heloName);
  }

  public SmtpSettings heloName(String name) {
    return new SmtpSettings(host, port, security, username, password, from, to, timeout, sslContext, name);
  }

  private static void checkAddress(String address) {
    if (address == null || !address.matches("[^\\s<>@,;]+@[^\\s<>@,;]+")) {
      throw new UserError("not an e-mail address: '" + address + "'");
    }
  }
}
