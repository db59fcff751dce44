package dev.gantry.deploy.s3;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * AWS Signature Version 4 for S3 requests (single-chunk payload), as a pure function of
 * the request, the time and the credentials.
 *
 * <pre>{@code
 * String auth = SigV4.authorization("GET", uri, headers, SigV4.EMPTY_SHA256, now, "us-east-1", key, secret);
 * }</pre>
 */
public final class SigV4 {
  public static final String EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
  static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyyMMdd").withZone(ZoneOffset.UTC);

  private SigV4() {}

  /**
   * The Authorization header value. {@code headers} must include {@code host},
   * {@code x-amz-date} and {@code x-amz-content-sha256}; all given headers are signed.
   */
  public static String authorization(String method, URI uri, Map<String, String> headers, String payloadSha256,
      Instant time, String region, String accessKey, String secretKey) {
    TreeMap<String, String> canon = new TreeMap<>();
    headers.forEach((k, v) -> canon.put(k.toLowerCase(), v.trim().replaceAll(" +", " ")));
    String signedHeaders = String.join(";", canon.keySet());
    StringBuilder ch = new StringBuilder();
    canon.forEach((k, v) -> ch.append(k).append(':').append(v).append('\n'));
    String canonicalRequest = method + "\n"
        + canonicalPath(uri) + "\n"
        + canonicalQuery(uri) + "\n"
        + ch + "\n"
        + signedHeaders + "\n"
        + payloadSha256;
    String day = DAY.format(time);
    String scope = day + "/" + region + "/s3/aws4_request";
    String stringToSign = "AWS4-HMAC-SHA256\n" + AMZ_DATE.format(time) + "\n" + scope + "\n"
        + hex(sha256(canonicalRequest.getBytes(StandardCharsets.UTF_8)));
    byte[] key = hmac(("AWS4" + secretKey).getBytes(StandardCharsets.UTF_8), day);
    key = hmac(key, region);
    key = hmac(key, "s3");
    key = hmac(key, "aws4_request");
    String signature = hex(hmac(key, stringToSign));
    return "AWS4-HMAC-SHA256 Credential=" + accessKey + "/" + scope + ",SignedHeaders=" + signedHeaders
        + ",Signature=" + signature;
  }

  /** The host header as an HTTP client sends it: the port only when the URI names one. */
  public static String hostHeader(URI uri) {
    return uri.getPort() == -1 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
  }

  /** RFC 3986 unreserved characters stay; everything else is %XX (S3 does not double-encode paths). */
  public static String encode(String s, boolean keepSlash) {
    StringBuilder b = new StringBuilder();
    for (byte c : s.getBytes(StandardCharsets.UTF_8)) {
      char ch = (char) (c & 0xff);
      if ((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9')
          || ch == '-' || ch == '_' || ch == '.' || ch == '~' || (keepSlash && ch == '/')) {
        b.append(ch);
      } else {
        b.append('%').append(String.format("%02X", c & 0xff));
      }
    }
    return b.toString();
  }

  public static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  public static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }

  private static String canonicalPath(URI uri) {
    String raw = uri.getRawPath();
    return raw == null || raw.isEmpty() ? "/" : raw;
  }

  private static String canonicalQuery(URI uri) {
    String q = uri.getRawQuery();
    if (q == null || q.isEmpty()) {
      return "";
    }
    List<String[]> pairs = new ArrayList<>();
    for (String p : q.split("&")) {
      int eq = p.indexOf('=');
      String k = java.net.URLDecoder.decode(eq < 0 ? p : p.substring(0, eq), StandardCharsets.UTF_8);
      String v = eq < 0 ? "" : java.net.URLDecoder.decode(p.substring(eq + 1), StandardCharsets.UTF_8);
      pairs.add(new String[] {encode(k, false), encode(v, false)});
    }
    pairs.sort((a, b) -> a[0].equals(b[0]) ? a[1].compareTo(b[1]) : a[0].compareTo(b[0]));
    StringBuilder b = new StringBuilder();
    for (String[] p : pairs) {
      b.append(b.isEmpty() ? "" : "&").append(p[0]).append('=').append(p[1]);
    }
    return b.toString();
  }

  private static byte[] hmac(byte[] key, String data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
