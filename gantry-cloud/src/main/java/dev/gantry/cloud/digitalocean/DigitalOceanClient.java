package dev.gantry.cloud.digitalocean;

import dev.gantry.cloud.digitalocean.api.Actions;
import dev.gantry.cloud.digitalocean.api.Catalog;
import dev.gantry.cloud.digitalocean.api.Domains;
import dev.gantry.cloud.digitalocean.api.Droplets;
import dev.gantry.cloud.digitalocean.api.Firewalls;
import dev.gantry.cloud.digitalocean.api.ReservedIps;
import dev.gantry.cloud.digitalocean.api.SshKeys;
import dev.gantry.cloud.digitalocean.api.Tags;
import dev.gantry.cloud.digitalocean.api.Volumes;
import dev.gantry.cloud.digitalocean.http.ApiToken;
import dev.gantry.cloud.digitalocean.http.ApiTransport;
import dev.gantry.cloud.digitalocean.http.RateLimiter;
import dev.gantry.cloud.digitalocean.http.RetryPolicy;
import dev.gantry.cloud.digitalocean.http.Sleeper;
import java.net.URI;
import java.time.Duration;
import java.time.InstantSource;

/**
 * The DigitalOcean API v2, one accessor per resource. Every call goes through one
 * {@link ApiTransport}: retries, rate limit, timeouts and error mapping are shared.
 *
 * <pre>{@code
 * DigitalOceanClient client = DigitalOceanClient.builder().token(TokenSource.fromEnvironment()).build();
 * for (Droplet d : client.droplets().list()) { ... }
 * }</pre>
 */
public final class DigitalOceanClient {
  private final ApiTransport api;
  private final Droplets droplets;
  private final Actions actions;

  private DigitalOceanClient(ApiTransport api, Sleeper sleeper, InstantSource clock, Duration pollEvery) {
    this.api = api;
    this.droplets = new Droplets(api);
    this.actions = new Actions(api, sleeper, clock, pollEvery);
  }

  public static Builder builder() {
    return new Builder();
  }

  public Droplets droplets() {
    return droplets;
  }

  public Actions actions() {
    return actions;
  }

  public SshKeys sshKeys() {
    return new SshKeys(api);
  }

  public Catalog catalog() {
    return new Catalog(api);
  }

  public Tags tags() {
    return new Tags(api);
  }

  public Volumes volumes() {
    return new Volumes(api);
  }

  public Firewalls firewalls() {
    return new Firewalls(api);
  }

  public Domains domains() {
    return new Domains(api);
  }

  public ReservedIps reservedIps() {
    return new ReservedIps(api);
  }

  /** Settings; only the token is required. */
  public static final class Builder {
    private final ApiTransport.Builder transport = ApiTransport.builder();
    private Sleeper sleeper = Sleeper.SYSTEM;
    private InstantSource clock = InstantSource.system();
    private Duration pollEvery = Duration.ofSeconds(5);

    public Builder token(ApiToken token) {
      transport.token(token);
      return this;
    }

    /** Another API base, e.g. a local server in tests. */
    public Builder baseUri(URI uri) {
      transport.baseUri(uri);
      return this;
    }

    public Builder requestTimeout(Duration d) {
      transport.requestTimeout(d);
      return this;
    }

    public Builder retry(RetryPolicy policy) {
      transport.retry(policy);
      return this;
    }

    public Builder rateLimiter(RateLimiter limiter) {
      transport.rateLimiter(limiter);
      return this;
    }

    /** How waits are made (retries and action polling). */
    public Builder sleeper(Sleeper sleeper) {
      this.sleeper = sleeper;
      transport.sleeper(sleeper);
      return this;
    }

    public Builder clock(InstantSource clock) {
      this.clock = clock;
      transport.clock(clock);
      return this;
    }

    /** The interval between polls of an action; 5 s by default. */
    public Builder pollEvery(Duration d) {
      this.pollEvery = d;
      return this;
    }

    public DigitalOceanClient build() {
      return new DigitalOceanClient(transport.build(), sleeper, clock, pollEvery);
    }
  }
}
