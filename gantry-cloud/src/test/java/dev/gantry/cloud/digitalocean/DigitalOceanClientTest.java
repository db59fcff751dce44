package dev.gantry.cloud.digitalocean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.gantry.cloud.digitalocean.api.ActionProgress;
import dev.gantry.cloud.digitalocean.api.CreatedDroplet;
import dev.gantry.cloud.digitalocean.api.DropletAction;
import dev.gantry.cloud.digitalocean.fake.FakeDigitalOcean;
import dev.gantry.cloud.digitalocean.http.ApiToken;
import dev.gantry.cloud.digitalocean.http.DigitalOceanException;
import dev.gantry.cloud.digitalocean.model.Action;
import dev.gantry.cloud.digitalocean.model.Droplet;
import dev.gantry.cloud.digitalocean.model.DropletRequest;
import dev.gantry.core.UserError;
import java.time.Duration;
import java.time.format.DateTimeFormatter;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The client's droplet, paging, retry, action and error behaviour against the spec-checked local API. */
class DigitalOceanClientTest {
  private FakeDigitalOcean fake;
  private VirtualTime time;
  private DigitalOceanClient client;

  @BeforeEach
  void start() {
    fake = FakeDigitalOcean.start();
    time = new VirtualTime();
    client = clientWith(fake.token());
  }

  private DigitalOceanClient clientWith(String token) {
    return DigitalOceanClient.builder().baseUri(fake.uri()).token(ApiToken.of(token, "test token"))
        .sleeper(time).clock(time).pollEvery(Duration.ofSeconds(2)).requestTimeout(Duration.ofSeconds(5)).build();
  }

  @AfterEach
  void conformsToTheSpec() {
    try {
      assertThat(fake.violations()).as("requests and responses off the OpenAPI description").isEmpty();
    } finally {
      fake.close();
    }
  }

  private static DropletRequest web(String name, String region, String size) {
    return new DropletRequest(name, region, size, "debian-12-x64", List.of(), List.of("web"), null, null);
  }

  @Test
  void listsEveryDropletAcrossPagesFollowingNextLinks() {
    fake.api().seedDroplets(450, "node", null);

    List<Droplet> all = client.droplets().list();

    assertThat(all).hasSize(450);
    assertThat(all).extracting(Droplet::name).doesNotHaveDuplicates().contains("node-0", "node-449");
    List<FakeDigitalOcean.Exchange> gets = fake.exchanges("GET", "/v2/droplets");
    assertThat(gets).extracting(e -> e.query().get("page") == null ? "1" : e.query().get("page").get(0))
        .containsExactly("1", "2", "3");
    // the next links name api.digitalocean.com; the client kept to its own base
    assertThat(gets).allSatisfy(e -> assertThat(e.query().get("per_page")).containsExactly("200"));
  }

  @Test
  void filtersByTagAndDeletesByTag() {
    fake.api().seedDroplets(3, "web", "web");
    fake.api().seedDroplets(2, "db", "db");

    assertThat(client.droplets().listByTag("web")).extracting(Droplet::name).containsExactly("web-0", "web-1", "web-2");
    client.droplets().deleteByTag("web");

    assertThat(client.droplets().list()).extracting(Droplet::name).containsExactly("db-0", "db-1");
  }

  @Test
  void createsGetsAndDeletesADroplet() {
    CreatedDroplet created = client.droplets().create(web("web1", "sgp1", "s-1vcpu-1gb"));
    assertThat(created.droplet().status()).isEqualTo("new");
    assertThat(created.createActionId()).isPresent();

    Action done = client.actions().await(client.actions().get(created.createActionId().get()), Duration.ofMinutes(2), p -> { });
    assertThat(done.status()).isEqualTo("completed");
    Droplet d = client.droplets().get(created.droplet().id());
    assertThat(d.status()).isEqualTo("active");
    assertThat(d.publicIpv4()).contains("127.0.0.1");
    assertThat(client.droplets().findByName("web1")).extracting(Droplet::id).containsExactly(d.id());

    client.droplets().delete(d.id());
    assertThat(client.droplets().find(d.id())).isEmpty();
  }

  @Test
  void retriesA429AfterTheRetryAfterItWasGiven() {
    fake.failNext("GET", "/v2/droplets", 429, Map.of("retry-after", "3"), "too_many_requests", "API rate limit exceeded.");

    assertThat(client.droplets().list()).isEmpty();

    assertThat(fake.exchanges("GET", "/v2/droplets")).extracting(FakeDigitalOcean.Exchange::status).containsExactly(429, 200);
    assertThat(time.sleeps()).containsExactly(Duration.ofSeconds(3));
  }

  @Test
  void retriesA429UntilRatelimitResetWhenNoRetryAfter() {
    long reset = time.instant().getEpochSecond() + 7;
    fake.failNext("GET", "/v2/sizes", 429, Map.of("ratelimit-remaining", "0", "ratelimit-reset", String.valueOf(reset)),
        "too_many_requests", "API rate limit exceeded.");

    assertThat(client.catalog().sizes()).isNotEmpty();

    assertThat(time.sleeps()).hasSize(1);
    assertThat(time.sleeps().get(0)).isBetween(Duration.ofSeconds(6), Duration.ofSeconds(7));
  }

  @Test
  void acceptsRetryAfterAsAnHttpDate() {
    String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(time.instant().plusSeconds(5).atOffset(ZoneOffset.UTC));
    fake.failNext("GET", "/v2/regions", 429, Map.of("retry-after", date), "too_many_requests", "API rate limit exceeded.");

    assertThat(client.catalog().regions()).isNotEmpty();
    assertThat(time.sleeps().get(0)).isBetween(Duration.ofSeconds(4), Duration.ofSeconds(5));
  }

  @Test
  void retriesA500ThenSucceeds() {
    fake.api().seedDroplets(1, "a", null);
    fake.failNext("GET", "/v2/droplets", 500, Map.of(), "server_error", "Server Error");

    assertThat(client.droplets().list()).hasSize(1);

    assertThat(fake.exchanges("GET", "/v2/droplets")).extracting(FakeDigitalOcean.Exchange::status).containsExactly(500, 200);
    assertThat(time.sleeps()).containsExactly(Duration.ofMillis(500));
  }

  @Test
  void backsOffExponentiallyAndGivesUpAfterFiveAttempts() {
    for (int i = 0; i < 5; i++) {
      fake.failNext("GET", "/v2/regions", 503, Map.of(), "service_unavailable", "Service Unavailable");
    }

    assertThatThrownBy(() -> client.catalog().regions())
        .isInstanceOf(DigitalOceanException.class)
        .hasMessageContaining("listing regions failed: HTTP 503 service_unavailable: Service Unavailable")
        .hasMessageContaining("gave up after 5 attempts")
        .hasMessageContaining("request id ");
    assertThat(time.sleeps()).containsExactly(Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2),
        Duration.ofSeconds(4));
  }

  @Test
  void neverRepeatsACreateAfterAServerError() {
    fake.failNext("POST", "/v2/droplets", 500, Map.of(), "server_error", "Server Error");

    assertThatThrownBy(() -> client.droplets().create(web("web1", "sgp1", "s-1vcpu-1gb")))
        .isInstanceOf(DigitalOceanException.class)
        .hasMessageContaining("creating droplet 'web1' failed: HTTP 500")
        .hasMessageContaining("not safe to repeat");
    assertThat(fake.exchanges("POST", "/v2/droplets")).hasSize(1);
  }

  @Test
  void retriesAGetThatTimesOut() {
    DigitalOceanClient impatient = DigitalOceanClient.builder().baseUri(fake.uri()).token(ApiToken.of(fake.token(), "t"))
        .sleeper(time).clock(time).requestTimeout(Duration.ofMillis(300)).build();
    fake.delayNext("GET", "/v2/regions", Duration.ofMillis(1500));

    assertThat(impatient.catalog().regions()).isNotEmpty();
    assertThat(fake.exchanges("GET", "/v2/regions")).hasSizeGreaterThanOrEqualTo(1);
  }

  @Test
  void waitsForAnActionThatTakesSeveralPollsReportingProgress() {
    fake.api().pollsPerAction(4);
    long id = fake.api().seedDroplets(1, "web", null).get(0);
    List<ActionProgress> seen = new ArrayList<>();

    Action started = client.droplets().act(id, new DropletAction.PowerOff());
    Action done = client.actions().await(started, Duration.ofMinutes(1), seen::add);

    assertThat(done.status()).isEqualTo("completed");
    assertThat(seen).extracting(p -> p.action().status())
        .containsExactly("in-progress", "in-progress", "in-progress", "in-progress", "completed");
    assertThat(seen.get(4).elapsed()).isEqualTo(Duration.ofSeconds(8));
    assertThat(seen.get(1).describe()).isEqualTo("power_off " + started.id() + ": in-progress (2 s)");
    assertThat(client.droplets().get(id).status()).isEqualTo("off");
  }

  @Test
  void stopsWaitingAtTheTimeoutWithAClearMessage() {
    fake.api().pollsPerAction(1000);
    long id = fake.api().seedDroplets(1, "web", null).get(0);
    Action started = client.droplets().act(id, new DropletAction.Reboot());

    assertThatThrownBy(() -> client.actions().await(started, Duration.ofSeconds(9), p -> { }))
        .isInstanceOf(UserError.class)
        .hasMessage("DigitalOcean: reboot (action " + started.id() + ") is still in-progress after 9 s; "
            + "it may finish later: check it with the action id");
  }

  @Test
  void sendsEveryDropletActionTheSpecKnows() {
    fake.api().pollsPerAction(0);
    long id = fake.api().seedDroplets(1, "web", null).get(0);
    List<DropletAction> all = List.of(new DropletAction.PowerOff(), new DropletAction.PowerOn(),
        new DropletAction.Shutdown(), new DropletAction.Reboot(), new DropletAction.PowerCycle(),
        new DropletAction.Snapshot("before-upgrade"), new DropletAction.Resize("s-2vcpu-2gb", false),
        new DropletAction.Rebuild("debian-12-x64"), new DropletAction.Rename("web-renamed"));
    for (DropletAction a : all) {
      assertThat(client.droplets().act(id, a).type()).isEqualTo(a.type());
    }
    Droplet d = client.droplets().get(id);
    assertThat(d.name()).isEqualTo("web-renamed");
    assertThat(d.sizeSlug()).isEqualTo("s-2vcpu-2gb");
  }

  @Test
  void a404SaysWhatWasNotFoundAndTheRequestId() {
    assertThatThrownBy(() -> client.droplets().get(999))
        .isInstanceOf(DigitalOceanException.class)
        .hasMessageMatching("DigitalOcean: reading droplet 999 failed: HTTP 404 not_found: The resource you were "
            + "accessing could not be found\\. \\(request id [0-9a-f-]{36}\\)")
        .satisfies(e -> assertThat(((DigitalOceanException) e).isNotFound()).isTrue());
  }

  @Test
  void unknownRegionOrSizeIsA422NamingTheDropletAndNothingIsCreated() {
    assertThatThrownBy(() -> client.droplets().create(web("web1", "atlantis1", "s-1vcpu-1gb")))
        .isInstanceOf(DigitalOceanException.class)
        .hasMessageStartingWith("DigitalOcean: creating droplet 'web1' failed: HTTP 422 unprocessable_entity: "
            + "You specified an invalid region for Droplet creation. (request id ");
    assertThatThrownBy(() -> client.droplets().create(web("web1", "sgp1", "s-64vcpu-huge")))
        .hasMessageContaining("HTTP 422 unprocessable_entity: You specified an invalid size for Droplet creation.");
    assertThat(fake.api().dropletCount()).isZero();
  }

  @Test
  void aBadTokenIsA401ThatNeverShowsTheToken() {
    String wrong = "dop_v1_wrong_secret_value_123";
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    logs.start();
    root.addAppender(logs);
    try {
      assertThatThrownBy(() -> clientWith(wrong).droplets().list())
          .isInstanceOf(DigitalOceanException.class)
          .hasMessageStartingWith("DigitalOcean: listing droplets failed: HTTP 401 unauthorized: Unable to authenticate you.")
          .hasMessageContaining("DIGITALOCEAN_TOKEN")
          .satisfies(e -> assertThat(e.toString()).doesNotContain(wrong));
      clientWith(fake.token()).droplets().list();
    } finally {
      root.detachAppender(logs);
    }
    assertThat(logs.list).isNotEmpty();
    assertThat(logs.list).allSatisfy(ev -> assertThat(ev.getFormattedMessage()).doesNotContain(wrong).doesNotContain(fake.token()));
    assertThat(ApiToken.of(wrong, "x").toString()).doesNotContain(wrong);
  }

  @Test
  void rateLimiterSpacesRequestsBeyondTheBudget() {
    DigitalOceanClient limited = DigitalOceanClient.builder().baseUri(fake.uri()).token(ApiToken.of(fake.token(), "t"))
        .sleeper(time).clock(time).rateLimiter(dev.gantry.cloud.digitalocean.http.RateLimiter.perMinute(2, time)).build();
    for (int i = 0; i < 4; i++) {
      limited.catalog().regions();
    }
    assertThat(time.sleeps()).containsExactly(Duration.ofSeconds(30), Duration.ofSeconds(30));
  }

  @Test
  void tokenMustComeFromSomewhere() {
    assertThatThrownBy(() -> new TokenSource(Map.of(), TokenSource.SecretLookup.NONE).resolve())
        .isInstanceOf(UserError.class)
        .hasMessage("no DigitalOcean API token: set DIGITALOCEAN_TOKEN or store it in the vault "
            + "(gantry vault set digitalocean-token any)");
    assertThatThrownBy(() -> new TokenSource(Map.of("DIGITALOCEAN_TOKEN", "abc def"), TokenSource.SecretLookup.NONE).resolve())
        .hasMessage("DIGITALOCEAN_TOKEN contains a space, a line break or a non-ASCII character; it must be the token alone");
    assertThat(new TokenSource(Map.of(), (f, c) -> f.equals("digitalocean-token") ? java.util.Optional.of("from-vault")
        : java.util.Optional.empty()).resolve()).isNotNull();
  }
}
