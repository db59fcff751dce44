package dev.gantry.deploy.s3;

import dev.gantry.core.UserError;
import java.net.URI;

/**
 * Where backups are copied: an S3-compatible endpoint (path-style addressing), region,
 * bucket, key prefix, and credentials. {@link #toString()} never shows the secret key.
 *
 * <pre>{@code
 * new S3Config(URI.create("https://s3.eu-west-1.amazonaws.com"), "eu-west-1", "capital-backups", "gantry",
 *     System.getenv("GANTRY_S3_ACCESS_KEY"), System.getenv("GANTRY_S3_SECRET_KEY"));
 * }</pre>
 */
public record S3Config(URI endpoint, String region, String bucket, String prefix, String accessKey, String secretKey) {
  public S3Config {
    if (endpoint == null || endpoint.getHost() == null || !(endpoint.getScheme().equals("http") || endpoint.getScheme().equals("https"))) {
      throw new UserError("S3 endpoint '" + endpoint + "' must be an http(s) URL");
    }
    if (region == null || region.isBlank()) {
      throw new UserError("S3 region must not be empty");
    }
    if (bucket == null || !bucket.matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")) {
      throw new UserError("S3 bucket '" + bucket + "' is not a valid bucket name");
    }
    prefix = prefix == null ? "" : prefix.replaceAll("^/+|/+$", "");
    if (accessKey == null || accessKey.isBlank() || secretKey == null || secretKey.isBlank()) {
      throw new UserError("S3 copy of backups needs an access key and a secret key");
    }
  }

  @Override
  public String toString() {
    return "S3Config[" + endpoint + " bucket " + bucket + (prefix.isEmpty() ? "" : "/" + prefix) + " region " + region
        + " access key " + accessKey + "]";
  }
}
