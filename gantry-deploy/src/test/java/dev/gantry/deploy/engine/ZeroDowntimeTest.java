package dev.gantry.deploy.engine;

import static dev.gantry.deploy.testing.Sandbox.sleep;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.deploy.docker.ContainerState;
import dev.gantry.deploy.docker.Docker;
import dev.gantry.deploy.ledger.ReleaseRecord.Outcome;
import dev.gantry.deploy.model.Frontend;
import dev.gantry.deploy.model.GantrySystem;
import dev.gantry.deploy.model.HealthCheck;
import dev.gantry.deploy.release.Release;
import dev.gantry.deploy.runtime.ComposeRuntime;
import dev.gantry.deploy.testing.FrontPoller;
import dev.gantry.deploy.testing.Sandbox;
import dev.gantry.deploy.testing.Systems;
import dev.gantry.deploy.testing.TestImages;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Blue/green releases behind the front, against the real Docker Engine, docker-compose and
 * nginx, with the front polled every 20 ms on fresh connections the whole time: a healthy
 * deploy, a deploy whose release fails its health check, and a rollback each break no
 * request, and the failed release never answers one.
 */
@Tag("integration")
class ZeroDowntimeTest {
  Sandbox sb;
  DeployEngine engine;
  HostTarget prod;
  ComposeRuntime compose;
  int port;

  @BeforeEach
  void setUp() throws Exception {
    sb = new Sandbox();
    engine = sb.engine();
    prod = sb.host("prod");
    compose = ComposeRuntime.detect(new Docker(sb.exec));
    port = Systems.freePort();
  }

  @AfterEach
  void tearDown() {
    sb.close();
  }

  /** A stateless app behind nginx, and a db with a volume whose image is pinned. */
  GantrySystem shop() {
    return shop("A", "production", new int[] {8080}, "app:8080");
  }

  /** The shop with another db image, app mode, app ports or route target. */
  GantrySystem shop(String dbTag, String mode, int[] appPorts, String routeTo) {
    return GantrySystem.named("shop")
        .service("db", s -> s.image(TestImages.DB + ":" + dbTag).port(7000).volume("dbdata", "/var/lib/db")
            .health(HealthCheck.http("/health").every(Duration.ofMillis(500)).retries(3)))
        .service("app", s -> s.image(TestImages.APP).port(appPorts).env("SHOP_MODE", mode)
            .health(HealthCheck.http("/health").every(Duration.ofMillis(300)).retries(3)))
        .frontend(Frontend.nginx().image(TestImages.NGINX).listen(port).route("/", routeTo));
  }

  DeployResult deploy(String release) {
    DeployResult r = engine.deploy(shop(), prod, Release.parse(release, shop()), compose);
    return r;
  }

  Map<String, String> runningIds() {
    return compose.states(engine.layout(shop(), prod)).stream().filter(ContainerState::running)
        .collect(Collectors.toMap(ContainerState::service, ContainerState::id));
  }

  /** Runs {@code change} while the front is polled every 20 ms; returns what the poller saw and the change's result. */
  record Polled(DeployResult result, List<FrontPoller.Answer> answers) {}

  Polled whilePolling(java.util.function.Supplier<DeployResult> change) {
    try (FrontPoller poller = new FrontPoller(port, "/release.txt", 20, 120_000)) {
      sleep(400);
      DeployResult r = change.get();
      sleep(500);
      return new Polled(r, poller.stop());
    }
  }

  static void assertNoFailure(List<FrontPoller.Answer> answers) {
    assertThat(answers).hasSizeGreaterThan(20);
    assertThat(answers.stream().filter(FrontPoller.Answer::failed).toList()).as("failed requests").isEmpty();
  }

  @Test
  void aHealthyDeployBreaksNoRequestAndLeavesUnchangedServicesAlone() {
    assertThat(deploy("A").ok()).as(sb.progress.toString()).isTrue();
    Map<String, String> before = runningIds();
    Polled p = whilePolling(() -> deploy("B"));
    DeployResult r = p.result();
    List<FrontPoller.Answer> answers = p.answers();
    assertThat(r.ok()).as(r.summary() + "\n" + sb.progress).isTrue();
    assertNoFailure(answers);
    assertThat(answers.get(0).body()).isEqualTo("A");
    assertThat(answers.get(answers.size() - 1).body()).isEqualTo("B");
    Map<String, String> after = runningIds();
    assertThat(after.get("db")).as("db did not change: not recreated").isEqualTo(before.get("db"));
    assertThat(after.get("frontend")).as("the front switched by reload, not by a new container").isEqualTo(before.get("frontend"));
    assertThat(after.keySet()).as("one app instance runs, the old one stopped").filteredOn(n -> n.startsWith("app-")).hasSize(1);
    assertThat(sb.progress).anyMatch(l -> l.startsWith("switching the front to app-"))
        .noneMatch(l -> l.contains("still busy"));
  }

  @Test
  void anAppWithASharedVolumeStartsBesideTheOldCopyOverTheSameDataAndBreaksNoRequest() {
    GantrySystem shared = GantrySystem.named("shop")
        .service("app", sv -> sv.image(TestImages.APP).port(8080).env("SHOP_MODE", "production")
            .sharedVolume("appdata", "/data").health(HealthCheck.http("/health").every(Duration.ofMillis(300)).retries(3)))
        .frontend(Frontend.nginx().image(TestImages.NGINX).listen(port).route("/", "app:8080"));
    assertThat(engine.deploy(shared, prod, Release.parse("A", shared), compose).ok()).as(sb.progress.toString()).isTrue();
    var layout = engine.layout(shared, prod);
    String a = runningApp(shared);
    assertThat(compose.exec(layout, a, "echo written-by-A >> /data/log", Map.of(), Duration.ofSeconds(30)).ok()).isTrue();

    Polled p = whilePolling(() -> engine.deploy(shared, prod, Release.parse("B", shared), compose));

    assertThat(p.result().ok()).as(p.result().summary() + "\n" + sb.progress).isTrue();
    assertThat(sb.progress).as("no downtime planned").noneMatch(l -> l.contains("will be recreated"));
    assertNoFailure(p.answers());
    assertThat(p.answers().get(p.answers().size() - 1).body()).isEqualTo("B");
    String b = runningApp(shared);
    assertThat(b).isNotEqualTo(a);
    assertThat(compose.exec(layout, b, "cat /data/log", Map.of(), Duration.ofSeconds(30)).stdout()).isEqualTo("written-by-A\n");
  }

  String runningApp(GantrySystem system) {
    return compose.states(engine.layout(system, prod)).stream().filter(ContainerState::running)
        .map(ContainerState::service).filter(n -> n.startsWith("app-")).findFirst().orElseThrow();
  }

  @Test
  void aRequestInFlightOnTheOldReleaseIsAnsweredBeforeItsInstanceStops() throws Exception {
    assertThat(deploy("A").ok()).isTrue();
    // five seconds long, sent to A before the deploy starts: it is still running when the front switches
    CompletableFuture<String> slow = CompletableFuture.supplyAsync(() -> Systems.fetch(port, "/cgi-bin/slow"));
    sleep(300);

    DeployResult r = deploy("B");

    assertThat(r.ok()).as(r.summary() + "\n" + sb.progress).isTrue();
    assertThat(slow.get(30, TimeUnit.SECONDS)).isEqualTo("200 slow A");
    assertThat(Systems.fetch(port, "/release.txt")).isEqualTo("200 B");
  }

  @Test
  void aReleaseThatFailsItsHealthCheckNeverReceivesARequest() {
    assertThat(deploy("A").ok()).isTrue();
    Polled p = whilePolling(() -> deploy("C"));
    DeployResult r = p.result();
    List<FrontPoller.Answer> answers = p.answers();
    assertThat(r.ok()).isFalse();
    assertThat(r.record().orElseThrow().outcome()).isEqualTo(Outcome.ROLLED_BACK);
    assertThat(r.summary()).contains("service app-", "is unhealthy").doesNotContain("curl: not found");
    assertNoFailure(answers);
    assertThat(answers).allSatisfy(a -> assertThat(a.body()).isEqualTo("A"));
    assertThat(runningIds().keySet()).filteredOn(n -> n.startsWith("app-")).hasSize(1);
  }

  @Test
  void aRouteTheFrontCannotReachOnTheNewReleaseIsNeverSwitchedTo() throws Exception {
    assertThat(deploy("A").ok()).isTrue();
    java.nio.file.Path conf = java.nio.file.Path.of(engine.layout(shop(), prod).dir(), "front", "nginx.conf");
    String servedBefore = java.nio.file.Files.readString(conf);
    // healthy on 8080, but the route goes to 9090, where nothing listens
    GantrySystem misrouted = shop("A", "production", new int[] {8080, 9090}, "app:9090");
    Polled p = whilePolling(() -> engine.deploy(misrouted, prod, Release.parse("B", misrouted), compose));
    DeployResult r = p.result();
    assertThat(r.ok()).as(r.summary() + "\n" + sb.progress).isFalse();
    assertThat(r.record().orElseThrow().outcome()).isEqualTo(Outcome.ROLLED_BACK);
    assertThat(r.summary()).contains("the front cannot reach app:9090 (route /) on the new release");
    assertThat(p.answers().stream().filter(FrontPoller.Answer::failed).toList()).as(String.join("\n", sb.progress)).isEmpty();
    assertNoFailure(p.answers());
    assertThat(p.answers()).allSatisfy(a -> assertThat(a.body()).isEqualTo("A"));
    assertThat(java.nio.file.Files.readString(conf)).as("the front's file is A's again").isEqualTo(servedBefore);
    assertThat(runningIds().keySet()).filteredOn(n -> n.startsWith("app-")).hasSize(1);
  }

  @Test
  void aComposeFileOfANewShapeIsCheckedByComposeBeforeAnyChangeAndOneThatOnlyChangesImagesNeedNotBe() throws Exception {
    assertThat(deploy("A").ok()).isTrue();
    java.nio.file.Path file = java.nio.file.Path.of(engine.layout(shop(), prod).dir(), "compose.yml");
    String running = java.nio.file.Files.readString(file);
    // compose refuses every file from now on
    var refusing = dev.gantry.deploy.testing.InterceptingTarget.failing(sb.exec, argv -> argv.contains("config"),
        "services.app.ports contains an invalid type");
    HostTarget strict = new HostTarget(prod.name(), prod.role(), prod.address(), refusing, sb.root.toString(), sb.prefix);
    ComposeRuntime strictCompose = ComposeRuntime.detect(new Docker(refusing));
    GantrySystem newShape = shop("A", "staging", new int[] {8080}, "app:8080");
    Map<String, String> before = runningIds();
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> engine.deploy(newShape, strict, Release.parse("B", newShape), strictCompose))
        .hasMessageContaining("services.app.ports contains an invalid type");
    assertThat(java.nio.file.Files.readString(file)).as("nothing was written").isEqualTo(running);
    assertThat(runningIds()).as("nothing was started or stopped").isEqualTo(before);
    // the same shape with other images: the running file passed that check already
    DeployResult r = engine.deploy(shop(), strict, Release.parse("B", shop()), strictCompose);
    assertThat(r.ok()).as(r.summary() + "\n" + sb.progress).isTrue();
  }

  @Test
  void aRollbackBreaksNoRequestAndStartsTheKeptInstance() {
    assertThat(deploy("A").ok()).isTrue();
    String appA = runningIds().entrySet().stream().filter(e -> e.getKey().startsWith("app-")).findFirst().orElseThrow().getValue();
    assertThat(deploy("B").ok()).isTrue();
    Polled p = whilePolling(() -> engine.rollback(shop(), prod, null, false, compose));
    DeployResult r = p.result();
    List<FrontPoller.Answer> answers = p.answers();
    assertThat(r.ok()).as(r.summary() + "\n" + sb.progress).isTrue();
    assertNoFailure(answers);
    assertThat(answers.get(answers.size() - 1).body()).isEqualTo("A");
    assertThat(runningIds()).as("the stopped instance of A was started again, not created anew").containsValue(appA);
  }

  @Test
  void aSystemWhoseContainersWereAllRemovedIsStartedAgainByTheNextDeploy() {
    assertThat(deploy("A").ok()).isTrue();
    new Docker(sb.exec).remove(List.copyOf(runningIds().values())); // by hand, or by a prune

    DeployResult r = deploy("B");

    assertThat(r.ok()).as(r.summary() + "\n" + sb.progress).isTrue();
    assertThat(runningIds().keySet()).filteredOn(n -> n.startsWith("app-")).hasSize(1);
    assertThat(Systems.fetch(port, "/release.txt")).isEqualTo("200 B");
  }

  @Test
  void whenTheOldInstanceIsGoneTheRunningFrontIsPointedAtTheNewOne() {
    assertThat(deploy("A").ok()).isTrue();
    String appA = runningIds().entrySet().stream().filter(e -> e.getKey().startsWith("app-")).findFirst().orElseThrow().getValue();
    new Docker(sb.exec).remove(List.of(appA));
    String front = runningIds().get("frontend");

    DeployResult r = deploy("B");

    assertThat(r.ok()).as(r.summary() + "\n" + sb.progress).isTrue();
    assertThat(runningIds().get("frontend")).as("the same front, reloaded").isEqualTo(front);
    assertThat(Systems.fetch(port, "/release.txt")).isEqualTo("200 B");
    assertThat(sb.progress).noneMatch(l -> l.startsWith("switching the front"));
  }

  @Test
  void theDryRunNamesWhatIsRecreatedAndWhatStartsBeside() {
    assertThat(deploy("A").ok()).isTrue();
    GantrySystem changedDb = shop("B", "production", new int[] {8080}, "app:8080");
    DeployResult plan = engine.plan(changedDb, prod, Release.parse("B", changedDb), compose);
    assertThat(plan.plan())
        .contains("db will be recreated: it is down while it restarts (it mounts data volume dbdata")
        .containsPattern("app: app-[0-9a-f]{8} starts beside app-[0-9a-f]{8}; the front switches to it")
        .contains("frontend: unchanged");
    DeployResult same = engine.plan(shop(), prod, Release.parse("A", shop()), compose);
    assertThat(same.plan()).containsPattern("app: unchanged \\(app-[0-9a-f]{8} keeps running\\)").contains("db: unchanged");
  }
}
