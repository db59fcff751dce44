package dev.gantry.ci.hook;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Predicate;

/**
 * One call of the git hook: the pushed lines ({@code old new ref}), when the hook sent them
 * and a nonce, all three under one HMAC-SHA256 signature. A signature over the body alone
 * could be sent again at any later time; with the time and the nonce signed too, a message is
 * accepted once, within {@link #WINDOW} of when it was made.
 *
 * <pre>{@code
 * HookMessage m = new HookMessage(req.header(TIMESTAMP), req.header(NONCE), req.header(SIGNATURE), req.bodyAsBytes());
 * switch (m.check(secret, clock.instant(), nonces::firstUse)) {
 *   case Verdict.Accepted a -> queue(m.lines());
 *   case Verdict.Refused r -> respond(401, r.reason());
 * }
 * }</pre>
 *
 * @param timestamp seconds since the epoch, as the hook's {@code date +%s} wrote them
 * @param nonce 32 hex digits the hook drew from {@code /dev/urandom}
 * @param signature {@code sha256=<hex>} of {@link #signedBytes}
 */
public record HookMessage(String timestamp, String nonce, String signature, byte[] body) {
  /** How old (or how far ahead of this server's clock) a message may be. */
  public static final Duration WINDOW = Duration.ofMinutes(5);

  /** What the check decided. */
  public sealed interface Verdict {
    record Accepted() implements Verdict {}

    record Refused(String reason) implements Verdict {}
  }

  /** The bytes the signature covers: the timestamp and the nonce on a line each, then the body. */
  public static byte[] signedBytes(String timestamp, String nonce, byte[] body) {
    byte[] head = (timestamp + "\n" + nonce + "\n").getBytes(StandardCharsets.UTF_8);
    byte[] out = new byte[head.length + body.length];
    System.arraycopy(head, 0, out, 0, head.length);
    System.arraycopy(body, 0, out, head.length, body.length);
    return out;
  }

  /** The signature a hook with {@code secret} sends for this timestamp, nonce and body. */
  public static String sign(String secret, String timestamp, String nonce, byte[] body) {
    return Hmac.sign(secret, signedBytes(timestamp, nonce, body));
  }

  /** The pushed lines as text. */
  public String text() {
    return new String(body, StandardCharsets.UTF_8);
  }

  /**
   * Accepts a message signed with {@code secret}, made within {@link #WINDOW} of {@code now},
   * whose nonce {@code firstUse} has not seen before (it records it: call it only once a
   * signature is good, so that nobody can use up nonces).
   */
  public Verdict check(String secret, Instant now, Predicate<String> firstUse) {
    if (timestamp == null || nonce == null) {
      return new Verdict.Refused("bad or missing signature: the hook sent no timestamp and nonce (a hook of an older Gantry; "
          + "install it again with `gantry ci install-hook`)");
    }
    if (!timestamp.matches("\\d{1,12}") || !nonce.matches("[0-9a-f]{16,64}")) {
      return new Verdict.Refused("bad or missing signature: malformed timestamp or nonce");
    }
    if (!Hmac.verify(secret, signedBytes(timestamp, nonce, body), signature)) {
      return new Verdict.Refused("bad or missing signature");
    }
    Duration age = Duration.between(Instant.ofEpochSecond(Long.parseLong(timestamp)), now);
    if (age.abs().compareTo(WINDOW) > 0) {
      return new Verdict.Refused("the hook message was made " + describe(age) + ", more than " + WINDOW.toMinutes()
          + " minutes from this server's time: a replay, or the git host's clock is wrong");
    }
    if (!firstUse.test(nonce)) {
      return new Verdict.Refused("this hook message was received before: a replay");
    }
    return new Verdict.Accepted();
  }

  private static String describe(Duration age) {
    long s = age.abs().toSeconds();
    return (s >= 600 ? s / 60 + " minutes" : s + " s") + (age.isNegative() ? " ahead" : " ago");
  }
}
