package dev.gantry.cloud.digitalocean;

import dev.gantry.cloud.digitalocean.http.ApiToken;
import dev.gantry.core.UserError;
import java.util.Map;
import java.util.Optional;

/**
 * Where the API token comes from: the environment variable {@code DIGITALOCEAN_TOKEN}
 * first, then the vault entry {@code digitalocean-token} (context {@code any}).
 *
 * <pre>{@code
 * ApiToken token = new TokenSource(System.getenv(), vault::lookup).resolve();
 * }</pre>
 */
public final class TokenSource {
  public static final String ENV = "DIGITALOCEAN_TOKEN";
  public static final String VAULT_FIELD = "digitalocean-token";
  public static final String VAULT_CONTEXT = "any";

  /** Reads a secret from the vault: field and context to value, empty when absent. */
  @FunctionalInterface
  public interface SecretLookup {
    SecretLookup NONE = (field, context) -> Optional.empty();

    Optional<String> lookup(String field, String context);
  }

  private final Map<String, String> env;
  private final SecretLookup vault;

  public TokenSource(Map<String, String> env, SecretLookup vault) {
    this.env = env;
    this.vault = vault;
  }

  /** The token from the process environment, with no vault. */
  public static ApiToken fromEnvironment() {
    return new TokenSource(System.getenv(), SecretLookup.NONE).resolve();
  }

  /**
   * The token.
   *
   * @throws UserError naming both places when neither has one
   */
  public ApiToken resolve() {
    String fromEnv = env.get(ENV);
    if (fromEnv != null && !fromEnv.isBlank()) {
      return ApiToken.of(fromEnv, ENV);
    }
    return vault.lookup(VAULT_FIELD, VAULT_CONTEXT)
        .map(v -> ApiToken.of(v, "the vault entry " + VAULT_FIELD))
        .orElseThrow(() -> new UserError("no DigitalOcean API token: set " + ENV
            + " or store it in the vault (gantry vault set " + VAULT_FIELD + " " + VAULT_CONTEXT + ")"));
  }
}
