package dev.gantry.core.notify;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Clock;
import java.time.ZonedDateTime;
import javax.net.ssl.SSLException;

/**
 * Sends each notification as a plain-text e-mail over SMTP, with optional STARTTLS or TLS
 * and AUTH PLAIN/LOGIN. A 4xx reply or a network problem is tried again; a 5xx reply (bad
 * address, bad login) is final. The password never appears in details or logs.
 *
 * <pre>{@code
 * Notifier mail = new EmailNotifier(
 *     SmtpSettings.of("smtp.example.com", 587, "gantry@example.com", List.of("ops@example.com"))
 *         .security(SmtpSettings.Security.STARTTLS)
 *         .login("gantry", config.get(SMTP_PASSWORD)));
 * }</pre>
 */
public final class EmailNotifier extends QueuedNotifier {
  private final SmtpSettings settings;
  private final Clock clock;

  public EmailNotifier(SmtpSettings settings) {
    this(settings, RetryPolicy.DEFAULT, Clock.systemDefaultZone());
  }

  public EmailNotifier(SmtpSettings settings, RetryPolicy retry, Clock clock) {
    super("email (" + settings.host() + ")", retry, DEFAULT_CAPACITY);
    this.settings = settings;
    this.clock = clock;
  }

  @Override
  protected Attempt attempt(Notification n) {
    String message = MailMessage.format(n, settings.from(), settings.to(), ZonedDateTime.now(clock),
        settings.heloName());
    try (SmtpSession session = SmtpSession.open(settings)) {
      session.send(settings.from(), settings.to(), message);
      session.quit();
      return new Attempt.Delivered("accepted for " + String.join(", ", settings.to()));
    } catch (SmtpSession.Refused e) {
      return e.temporary ? new Attempt.Retryable(e.getMessage()) : new Attempt.Permanent(e.getMessage());
    } catch (SocketTimeoutException e) {
      return new Attempt.Retryable("no answer from " + settings.host() + " within " + settings.timeout().toMillis()
          + " ms");
    } catch (SSLException e) {
      // a certificate the JVM does not trust will not start being trusted on the next try
      return new Attempt.Permanent("TLS with " + settings.host() + " failed: " + e.getMessage());
    } catch (IOException e) {
      return new Attempt.Retryable(e.getClass().getSimpleName() + " talking to " + settings.host() + ":"
          + settings.port() + ": " + e.getMessage());
    }
  }
}
