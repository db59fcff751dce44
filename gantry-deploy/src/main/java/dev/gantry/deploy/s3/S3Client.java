package dev.gantry.deploy.s3;

import dev.gantry.core.UserError;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A small S3 REST client (path-style, Signature Version 4): put, get and list objects.
 * Enough to copy backups to any S3-compatible storage without an SDK.
 *
 * <pre>{@code
 * S3Client s3 = new S3Client(config, Clock.systemUTC());
 * s3.put("gantry/capital/20250524T101500Z-3f9a/events.tar.gz", file, sha256Hex);
 * List<String> keys = s3.list("gantry/capital/");
 * }</pre>
 */
public final class S3Client {
  private static final Pattern KEY = Pattern.compile("<Key>(.*?)</Key>");
  private static final Pattern TOKEN = Pattern.compile("<NextContinuationToken>(.*?)</NextContinuationToken>");
  private static final Pattern TRUNCATED = Pattern.compile("<IsTruncated>true</IsTruncated>");
  private static final Pattern ERROR_CODE = Pattern.compile("<Code>(.*?)</Code>");

  private final S3Config config;
  private final Clock clock;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  public S3Client(S3Config config, Clock clock) {
    this.config = config;
    this.clock = clock;
  }

  public S3Config config() {
    return config;
  }

  /** Uploads a file whose SHA-256 is already known (single PUT, up to 5 GiB). */
  public void put(String key, Path file, String sha256Hex) throws IOException {
    URI uri = objectUri(key, "");
    Map<String, String> headers = signedHeaders("PUT", uri, sha256Hex);
    HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofHours(1))
        .PUT(HttpRequest.BodyPublishers.ofFile(file));
    headers.forEach((k, v) -> {
      if (!k.equals("host")) {
        b.header(k, v);
      }
    });
    send(b.build(), HttpResponse.BodyHandlers.ofString(), "PUT " + key);
  }

  /** Uploads a small object from memory. */
  public void put(String key, byte[] content) throws IOException {
    Path tmp = Files.createTempFile("gantry-s3", ".part");
    try {
      Files.write(tmp, content);
      put(key, tmp, SigV4.hex(SigV4.sha256(content)));
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** Streams an object into {@code out}. */
  public void get(String key, OutputStream out) throws IOException {
    URI uri = objectUri(key, "");
    HttpResponse<InputStream> r = send(request("GET", uri), HttpResponse.BodyHandlers.ofInputStream(), "GET " + key);
    try (InputStream in = r.body()) {
      in.transferTo(out);
    }
  }

  /** Every key under {@code prefix}, following continuation tokens. */
  public List<String> list(String prefix) throws IOException {
    List<String> keys = new ArrayList<>();
    String token = null;
    do {
      String q = "list-type=2&prefix=" + SigV4.encode(prefix, false)
          + (token == null ? "" : "&continuation-token=" + SigV4.encode(token, false));
      URI uri = objectUri("", q);
      String body = send(request("GET", uri), HttpResponse.BodyHandlers.ofString(), "listing " + prefix).body();
      Matcher m = KEY.matcher(body);
      while (m.find()) {
        keys.add(xmlUnescape(m.group(1)));
      }
      Matcher t = TOKEN.matcher(body);
      token = TRUNCATED.matcher(body).find() && t.find() ? xmlUnescape(t.group(1)) : null;
    } while (token != null);
    return keys;
  }

  private HttpRequest request(String method, URI uri) {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofHours(1)).method(method, HttpRequest.BodyPublishers.noBody());
    signedHeaders(method, uri, SigV4.EMPTY_SHA256).forEach((k, v) -> {
      if (!k.equals("host")) {
        b.header(k, v);
      }
    });
    return b.build();
  }

  private Map<String, String> signedHeaders(String method, URI uri, String payloadSha) {
    Instant now = clock.instant();
    Map<String, String> h = new LinkedHashMap<>();
    h.put("host", SigV4.hostHeader(uri));
    h.put("x-amz-content-sha256", payloadSha);
    h.put("x-amz-date", SigV4.AMZ_DATE.format(now));
    String auth = SigV4.authorization(method, uri, h, payloadSha, now, config.region(), config.accessKey(), config.secretKey());
    h.put("authorization", auth);
    return h;
  }

  private URI objectUri(String key, String rawQuery) {
    String base = config.endpoint().toString().replaceAll("/+$", "");
    String path = "/" + config.bucket() + (key.isEmpty() ? "/" : "/" + SigV4.encode(key, true));
    return URI.create(base + path + (rawQuery.isEmpty() ? "" : "?" + rawQuery));
  }

  private <T> HttpResponse<T> send(HttpRequest req, HttpResponse.BodyHandler<T> handler, String what) throws IOException {
    HttpResponse<T> r;
    try {
      r = http.send(req, handler);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted: " + what, e);
    } catch (IOException e) {
      throw new UserError("S3 " + what + " at " + config.endpoint() + ": " + e.getMessage());
    }
    if (r.statusCode() / 100 != 2) {
      String body = r.body() instanceof String s ? s
          : r.body() instanceof InputStream in ? new String(in.readAllBytes(), StandardCharsets.UTF_8) : "";
      Matcher m = ERROR_CODE.matcher(body);
      throw new UserError("S3 " + what + " in bucket " + config.bucket() + " failed: HTTP " + r.statusCode()
          + (m.find() ? " " + m.group(1) : ""));
    }
    return r;
  }

  private static String xmlUnescape(String s) {
    return s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&apos;", "'").replace("&amp;", "&");
  }
}
