package dev.gantry.cloud.digitalocean.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.cloud.digitalocean.http.ApiTransport;
import dev.gantry.cloud.digitalocean.http.DigitalOceanException;
import dev.gantry.cloud.digitalocean.http.Pager;
import dev.gantry.cloud.digitalocean.http.Query;
import dev.gantry.cloud.digitalocean.model.SshKey;
import java.util.List;
import java.util.Map;

/**
 * The account's SSH keys.
 *
 * <pre>{@code
 * SshKey k = client.sshKeys().create("laptop", Files.readString(Path.of(home, ".ssh/id_ed25519.pub")));
 * }</pre>
 */
public final class SshKeys {
  private final ApiTransport api;

  public SshKeys(ApiTransport api) {
    this.api = api;
  }

  public List<SshKey> list() {
    return new Pager(api).all("listing SSH keys", "/v2/account/keys", "ssh_keys", SshKey.class);
  }

  public SshKey create(String name, String publicKey) {
    String what = "adding SSH key '" + name + "'";
    JsonNode body = api.post(what, "/v2/account/keys", Map.of("name", name, "public_key", publicKey.strip()), false);
    JsonNode k = body.path("ssh_key");
    if (!k.isObject()) {
      throw new DigitalOceanException(what, "the answer has no 'ssh_key' object", null);
    }
    return api.json().convertValue(k, SshKey.class);
  }

  /** Deletes a key by id or fingerprint. */
  public void delete(String idOrFingerprint) {
    api.delete("deleting SSH key " + idOrFingerprint, "/v2/account/keys/" + Query.segment(idOrFingerprint));
  }
}
