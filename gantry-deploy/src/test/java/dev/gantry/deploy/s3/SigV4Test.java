package dev.gantry.deploy.s3;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The signer against the examples AWS publishes for Signature Version 4 with S3. */
class SigV4Test {
  static final String KEY = "AKIAIOSFODNN7EXAMPLE";
  static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
  static final Instant T = Instant.parse("2013-05-24T00:00:00Z");

  @Test
  void getObjectExample() {
    Map<String, String> h = new LinkedHashMap<>();
    h.put("Host", "examplebucket.s3.amazonaws.com");
    h.put("Range", "bytes=0-9");
    h.put("x-amz-content-sha256", SigV4.EMPTY_SHA256);
    h.put("x-amz-date", "20130524T000000Z");
    String auth = SigV4.authorization("GET", URI.create("https://examplebucket.s3.amazonaws.com/test.txt"), h,
        SigV4.EMPTY_SHA256, T, "us-east-1", KEY, SECRET);
    assertThat(auth).isEqualTo("AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,"
        + "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,"
        + "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
  }

  @Test
  void listObjectsExampleWithQuery() {
    Map<String, String> h = new LinkedHashMap<>();
    h.put("host", "examplebucket.s3.amazonaws.com");
    h.put("x-amz-content-sha256", SigV4.EMPTY_SHA256);
    h.put("x-amz-date", "20130524T000000Z");
    String auth = SigV4.authorization("GET", URI.create("https://examplebucket.s3.amazonaws.com/?max-keys=2&prefix=J"), h,
        SigV4.EMPTY_SHA256, T, "us-east-1", KEY, SECRET);
    assertThat(auth).endsWith("Signature=34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7");
  }

  @Test
  void hostHeaderCarriesAnExplicitPortAndKeysAreEncodedPerSegment() {
    assertThat(SigV4.hostHeader(URI.create("http://127.0.0.1:4568/b"))).isEqualTo("127.0.0.1:4568");
    assertThat(SigV4.hostHeader(URI.create("https://s3.example.com/b"))).isEqualTo("s3.example.com");
    assertThat(SigV4.encode("a b/c+d", true)).isEqualTo("a%20b/c%2Bd");
  }

  @Test
  void configNeverShowsTheSecret() {
    S3Config c = new S3Config(URI.create("http://127.0.0.1:1"), "us-east-1", "bucket-1", "/p/", "AK", "very-secret");
    assertThat(c.toString()).doesNotContain("very-secret").contains("bucket-1/p");
  }
}
