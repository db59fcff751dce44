package dev.gantry.ci.hook;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A hook message is taken once, soon after it was made, and only with its signature. */
class HookMessageTest {
  static final String SECRET = "hook-secret-0123456789";
  static final Instant NOW = Instant.parse("2026-12-02T04:00:00Z");
  static final byte[] BODY = "0000000000000000000000000000000000000000 1111111111111111111111111111111111111111 refs/heads/review/x\n"
      .getBytes(StandardCharsets.UTF_8);

  final Set<String> seen = new HashSet<>();

  HookMessage.Verdict check(long timestamp, String nonce, String secret) {
    String ts = String.valueOf(timestamp);
    return new HookMessage(ts, nonce, HookMessage.sign(secret, ts, nonce, BODY), BODY).check(SECRET, NOW, seen::add);
  }

  static String reason(HookMessage.Verdict v) {
    return v instanceof HookMessage.Verdict.Refused r ? r.reason() : "accepted";
  }

  @Test
  void aFreshSignedMessageIsAcceptedOnce() {
    assertThat(check(NOW.getEpochSecond() - 3, "0123456789abcdef0123456789abcdef", SECRET)).isInstanceOf(HookMessage.Verdict.Accepted.class);
    assertThat(reason(check(NOW.getEpochSecond() - 3, "0123456789abcdef0123456789abcdef", SECRET))).contains("a replay");
  }

  @Test
  void aMessageOlderOrNewerThanTheWindowIsRefusedSayingHowFarOff() {
    assertThat(reason(check(NOW.getEpochSecond() - 301, "0123456789abcdef", SECRET))).contains("301 s ago, more than 5 minutes");
    assertThat(reason(check(NOW.getEpochSecond() + 3600, "0123456789abcdef", SECRET))).contains("60 minutes ahead")
        .contains("clock");
    assertThat(check(NOW.getEpochSecond() - 299, "0123456789abcdef", SECRET)).isInstanceOf(HookMessage.Verdict.Accepted.class);
  }

  @Test
  void aWrongSignatureIsRefusedWithoutUsingUpTheNonce() {
    assertThat(reason(check(NOW.getEpochSecond(), "0123456789abcdef", "another-secret-0123"))).isEqualTo("bad or missing signature");
    assertThat(seen).isEmpty();
    assertThat(check(NOW.getEpochSecond(), "0123456789abcdef", SECRET)).isInstanceOf(HookMessage.Verdict.Accepted.class);
  }

  @Test
  void aMessageWithoutTimeOrNonceOrWithMalformedOnesIsRefused() {
    assertThat(reason(new HookMessage(null, null, Hmac.sign(SECRET, BODY), BODY).check(SECRET, NOW, seen::add)))
        .contains("older Gantry").contains("gantry ci install-hook");
    assertThat(reason(check(NOW.getEpochSecond(), "not-hex", SECRET))).contains("malformed");
    assertThat(reason(new HookMessage("yesterday", "0123456789abcdef", "sha256=00", BODY).check(SECRET, NOW, seen::add)))
        .contains("malformed");
  }
}
