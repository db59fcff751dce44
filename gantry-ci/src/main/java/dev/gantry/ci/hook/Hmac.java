package dev.gantry.ci.hook;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HMAC-SHA256 signatures of hook bodies, written {@code sha256=<hex>} (the form
 * {@code openssl dgst -sha256 -hmac} computes and GitHub uses).
 *
 * <pre>{@code
 * String sig = Hmac.sign(secret, body);
 * boolean ok = Hmac.verify(secret, body, request.header("X-Gantry-Signature"));
 * }</pre>
 */
public final class Hmac {
  private Hmac() {}

  public static String sign(String secret, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
    }
  }

  /** Constant-time check of {@code presented} against the signature of {@code body}. */
  public static boolean verify(String secret, byte[] body, String presented) {
    if (presented == null) {
      return false;
    }
    byte[] expected = sign(secret, body).getBytes(StandardCharsets.UTF_8);
    return MessageDigest.isEqual(expected, presented.trim().toLowerCase(java.util.Locale.ROOT).getBytes(StandardCharsets.UTF_8));
  }
}
