package dev.gantry.core.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.core.UserError;
import dev.gantry.core.config.Secret;
import dev.gantry.core.testing.FakeSmtpServer;
import dev.gantry.core.testing.TestTls;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class EmailNotifierTest {
  private static final RetryPolicy FAST = new RetryPolicy(4, Duration.ofMillis(20), Duration.ofMillis(100), Duration.ofSeconds(5));
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2024-05-01T10:15:30Z"), ZoneOffset.UTC);
  private static final Notification ALERT = new Notification("prod disk 95% full", "/data on prod.example.com",
      Notification.Level.WARNING, "http://gantry.example.com/monitor", Map.of("host", "prod.example.com"));

  private static SmtpSettings to(FakeSmtpServer smtp) {
    return SmtpSettings.of(smtp.host(), smtp.port(), "gantry@example.com", List.of("ops@example.com", "dev@example.com"))
        .timeout(Duration.ofSeconds(5));
  }

  private static Delivery send(SmtpSettings settings, Notification n) throws Exception {
    try (EmailNotifier mail = new EmailNotifier(settings, FAST, CLOCK)) {
      return mail.send(n).get(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void sendsAPlainMessageWithHeadersToEveryRecipient() throws Exception {
    try (FakeSmtpServer smtp = FakeSmtpServer.start()) {
      Delivery d = send(to(smtp), ALERT);

      assertThat(d.delivered()).as(d.detail()).isTrue();
      FakeSmtpServer.Mail m = smtp.awaitMessages(1, Duration.ofSeconds(5)).get(0);
      assertThat(m.from()).isEqualTo("gantry@example.com");
      assertThat(m.recipients()).containsExactly("ops@example.com", "dev@example.com");
      assertThat(m.tls()).isFalse();
      assertThat(m.header("Subject")).contains("[WARNING] prod disk 95% full");
      assertThat(m.header("From")).contains("gantry@example.com");
      assertThat(m.header("To")).contains("ops@example.com, dev@example.com");
      assertThat(m.header("Date")).contains("Wed, 1 May 2024 10:15:30 GMT");
      assertThat(m.header("Message-ID")).hasValueSatisfying(id -> assertThat(id).matches("<[0-9a-f-]+@localhost>"));
      assertThat(m.header("Content-Type")).contains("text/plain; charset=UTF-8");
      assertThat(m.body()).isEqualTo("prod disk 95% full\r\n\r\n/data on prod.example.com\r\n\r\n"
          + "host: prod.example.com\r\n\r\nhttp://gantry.example.com/monitor\r\n");
      assertThat(smtp.commands()).contains("EHLO localhost", "MAIL FROM:<gantry@example.com>",
          "RCPT TO:<ops@example.com>", "DATA", "QUIT");
    }
  }

  @Test
  void linesStartingWithADotArriveIntact() throws Exception {
    String text = ".hidden starts with a dot\n.\n..two dots\nend";
    try (FakeSmtpServer smtp = FakeSmtpServer.start()) {
      assertThat(send(to(smtp), Notification.of(Notification.Level.INFO, "dots", text)).delivered()).isTrue();
      assertThat(smtp.messages().get(0).body()).contains(".hidden starts with a dot\r\n.\r\n..two dots\r\nend\r\n");
    }
  }

  @Test
  void dotStuffingDoublesLeadingDots() {
    assertThat(MailMessage.dotStuff(".a\r\nb.\r\n.\r\n")).isEqualTo("..a\r\nb.\r\n..\r\n");
  }

  @Test
  void nonAsciiTextIsEncoded() throws Exception {
    String title = "Build f\u00fcr \u00abcapital\u00bb fehlgeschlagen \u2014 " + "\u00e4".repeat(40);
    try (FakeSmtpServer smtp = FakeSmtpServer.start()) {
      assertThat(send(to(smtp), Notification.of(Notification.Level.FAILURE, title, "Gr\u00fc\u00dfe \u2713")).delivered())
          .isTrue();
      FakeSmtpServer.Mail m = smtp.messages().get(0);
      assertThat(m.header("Content-Transfer-Encoding")).contains("base64");
      assertThat(m.body()).contains("Gr\u00fc\u00dfe \u2713");
      String subject = m.header("Subject").orElseThrow();
      assertThat(subject).startsWith("=?UTF-8?B?");
      assertThat(decodeWords(subject)).isEqualTo("[FAILURE] " + title);
      assertThat(m.data().lines()).allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(78));
    }
  }

  @Test
  void aTitleCannotInjectHeaders() throws Exception {
    try (FakeSmtpServer smtp = FakeSmtpServer.start()) {
      send(to(smtp), Notification.of(Notification.Level.INFO, "hi\r\nBcc: evil@example.com", ""));
      FakeSmtpServer.Mail m = smtp.messages().get(0);
      assertThat(m.header("Bcc")).isEmpty();
      assertThat(m.header("Subject")).contains("[INFO] hi Bcc: evil@example.com");
    }
  }

  @Test
  void startTlsThenAuthPlain() throws Exception {
    TestTls tls = TestTls.get();
    try (FakeSmtpServer smtp = FakeSmtpServer.builder().startTls(tls.server()).user("gantry", "pa55word").start()) {
      SmtpSettings s = to(smtp).security(SmtpSettings.Security.STARTTLS).sslContext(tls.client())
          .login("gantry", Secret.of("pa55word"));
      Delivery d = send(s, ALERT);

      assertThat(d.delivered()).as(d.detail()).isTrue();
      FakeSmtpServer.Mail m = smtp.messages().get(0);
      assertThat(m.tls()).isTrue();
      assertThat(m.user()).isEqualTo("gantry");
      assertThat(smtp.commands()).containsSubsequence("EHLO localhost", "STARTTLS", "EHLO localhost");
      assertThat(smtp.commands()).anyMatch(c -> c.startsWith("AUTH PLAIN "));
    }
  }

  @Test
  void implicitTlsThenAuthLogin() throws Exception {
    TestTls tls = TestTls.get();
    try (FakeSmtpServer smtp = FakeSmtpServer.builder().implicitTls(tls.server()).mechanisms("LOGIN")
        .user("gantry", "pa55word").start()) {
      SmtpSettings s = to(smtp).security(SmtpSettings.Security.TLS).sslContext(tls.client())
          .login("gantry", Secret.of("pa55word"));
      Delivery d = send(s, ALERT);

      assertThat(d.delivered()).as(d.detail()).isTrue();
      assertThat(smtp.messages().get(0).tls()).isTrue();
      assertThat(smtp.commands()).contains("AUTH LOGIN");
    }
  }

  @Test
  void aWrongPasswordIsFinalAndNotShown() throws Exception {
    TestTls tls = TestTls.get();
    try (FakeSmtpServer smtp = FakeSmtpServer.builder().startTls(tls.server()).user("gantry", "right").start()) {
      SmtpSettings s = to(smtp).security(SmtpSettings.Security.STARTTLS).sslContext(tls.client())
          .login("gantry", Secret.of("wr0ng-pa55"));
      Delivery d = send(s, ALERT);

      assertThat(d.status()).isEqualTo(Delivery.Status.FAILED);
      assertThat(d.attempts()).isEqualTo(1);
      assertThat(d.detail()).contains("AUTH PLAIN for 'gantry' refused: 535").doesNotContain("wr0ng");
      assertThat(smtp.messages()).isEmpty();
    }
  }

  @Test
  void anUntrustedCertificateIsFinal() throws Exception {
    try (FakeSmtpServer smtp = FakeSmtpServer.builder().startTls(TestTls.get().server()).start()) {
      Delivery d = send(to(smtp).security(SmtpSettings.Security.STARTTLS), ALERT); // JVM default trust store
      assertThat(d.status()).isEqualTo(Delivery.Status.FAILED);
      assertThat(d.attempts()).isEqualTo(1);
      assertThat(d.detail()).startsWith("TLS with 127.0.0.1 failed");
    }
  }

  @Test
  void aServerWithoutStartTlsIsRefusedWhenTlsIsRequired() throws Exception {
    try (FakeSmtpServer smtp = FakeSmtpServer.start()) {
      Delivery d = send(to(smtp).security(SmtpSettings.Security.STARTTLS), ALERT);
      assertThat(d.status()).isEqualTo(Delivery.Status.FAILED);
      assertThat(d.detail()).contains("does not offer STARTTLS");
      assertThat(smtp.messages()).isEmpty();
    }
  }

  @Test
  void aTemporaryRefusalIsRetriedAndAPermanentOneIsNot() throws Exception {
    try (FakeSmtpServer smtp = FakeSmtpServer.start()) {
      smtp.failNext(451, "4.3.0 try again later").failNext(421, "4.4.2 busy");
      Delivery d = send(to(smtp), ALERT);
      assertThat(d.delivered()).isTrue();
      assertThat(d.attempts()).isEqualTo(3);
      assertThat(smtp.messages()).hasSize(1);

      smtp.failNext(554, "5.7.1 rejected as spam");
      Delivery refused = send(to(smtp), ALERT);
      assertThat(refused.status()).isEqualTo(Delivery.Status.FAILED);
      assertThat(refused.attempts()).isEqualTo(1);
      assertThat(refused.detail()).contains("554 5.7.1 rejected as spam");
    }
  }

  @Test
  void anUnreachableServerIsRetriedThenGivenUp() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    SmtpSettings s = SmtpSettings.of("127.0.0.1", port, "gantry@example.com", List.of("ops@example.com"))
        .timeout(Duration.ofSeconds(1));
    try (EmailNotifier mail = new EmailNotifier(s, FAST, CLOCK)) {
      Delivery d = mail.send(ALERT).get(30, TimeUnit.SECONDS);
      assertThat(d.status()).isEqualTo(Delivery.Status.FAILED);
      assertThat(d.attempts()).isEqualTo(4);
      assertThat(d.detail()).contains("127.0.0.1:" + port);
    }
  }

  @Test
  void sendReturnsWithoutWaitingForTheServer() throws Exception {
    try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      silent.setSoTimeout(30_000);
      SmtpSettings s = SmtpSettings.of("127.0.0.1", silent.getLocalPort(), "gantry@example.com", List.of("ops@example.com"))
          .timeout(Duration.ofMinutes(1));
      try (EmailNotifier mail = new EmailNotifier(s, new RetryPolicy(1, Duration.ZERO, Duration.ZERO, Duration.ofMinutes(1)),
          CLOCK)) {
        CompletableFuture<Delivery> f = mail.send(ALERT);
        try (Socket session = silent.accept()) {
          // connected, and the server never greets: a send that waited for the delivery would
          // still be waiting for the greeting (up to the 1 min timeout) instead of having returned
          assertThat(f).isNotDone();
        } // hanging up ends the attempt
        Delivery d = f.get(30, TimeUnit.SECONDS);
        assertThat(d.status()).isEqualTo(Delivery.Status.FAILED);
        assertThat(d.attempts()).isEqualTo(1);
      }
    }
  }

  @Test
  void badSettingsAreUserErrors() {
    assertThatThrownBy(() -> SmtpSettings.of("smtp.example.com", 25, "gantry@example.com", List.of("ops@example.com"))
        .login("gantry", Secret.of("pw")))
        .isInstanceOf(UserError.class).hasMessageContaining("needs TLS").hasMessageNotContaining("pw\"");
    assertThatThrownBy(() -> SmtpSettings.of("smtp.example.com", 25, "not an address", List.of("ops@example.com")))
        .isInstanceOf(UserError.class).hasMessageContaining("'not an address'");
    assertThatThrownBy(() -> SmtpSettings.of("smtp.example.com", 25, "a@example.com", List.of("x@y>\r\nRCPT TO:<z@w")))
        .isInstanceOf(UserError.class);
    assertThatThrownBy(() -> SmtpSettings.of("smtp.example.com", 25, "a@example.com", List.of()))
        .isInstanceOf(UserError.class).hasMessageContaining("recipient");
    assertThatThrownBy(() -> SmtpSettings.of("smtp.example.com", 0, "a@example.com", List.of("b@example.com")))
        .isInstanceOf(UserError.class).hasMessageContaining("port");
  }

  private static String decodeWords(String header) {
    StringBuilder out = new StringBuilder();
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("=\\?UTF-8\\?B\\?([^?]*)\\?=").matcher(header);
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    while (m.find()) {
      bytes.writeBytes(java.util.Base64.getDecoder().decode(m.group(1)));
    }
    out.append(bytes.toString(java.nio.charset.StandardCharsets.UTF_8));
    return out.toString();
  }
}
