package dev.gantry.deploy.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.core.UserError;
import dev.gantry.core.process.ProcessResult;
import dev.gantry.core.target.Invocation;
import dev.gantry.core.target.LocalTarget;
import dev.gantry.core.target.Target;
import dev.gantry.core.testing.ForwardingTarget;
import dev.gantry.deploy.docker.Docker;
import dev.gantry.deploy.engine.DeployEngine;
import dev.gantry.deploy.engine.HostTarget;
import dev.gantry.deploy.release.Release;
import dev.gantry.deploy.runtime.ComposeRuntime;
import dev.gantry.deploy.testing.Sandbox;
import dev.gantry.deploy.testing.TestImages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Bad input is refused with a clear message before anything changes on the host. */
@Tag("integration")
class BadInputTest {
  static Sandbox sb;
  static DeployEngine engine;
  static HostTarget host;
  static ComposeRuntime compose;

  @BeforeAll
  static void setUp() throws Exception {
    sb = new Sandbox();
    engine = sb.engine();
    host = sb.host("prod");
    compose = ComposeRuntime.detect(new Docker(sb.exec));
  }

  @AfterAll
  static void tearDown() {
    sb.close();
  }

  /** Deploys and asserts the refusal left no trace: no folder, no volume, no ledger entry, no commit. */
  static void refused(GantrySystem system, String release, String... messageParts) {
    assertThatThrownBy(() -> engine.deploy(system, host, Release.parse(release, system), compose))
        .isInstanceOf(UserError.class)
        .satisfies(e -> assertThat(e.getMessage()).contains(messageParts));
    assertThat(Files.exists(Path.of(host.layout(system.name()).dir()))).isFalse();
    assertThat(sb.ledger.all()).isEmpty();
    assertThat(sb.sh("docker volume ls -q")).doesNotContain(sb.prefix);
    assertThat(Files.exists(sb.infra.resolve("hosts.yml"))).isFalse();
  }

  @Test
  void dependencyCycle() {
    GantrySystem s = GantrySystem.named("cyc")
        .service("a", x -> x.image(TestImages.APP).dependsOn("c"))
        .service("b", x -> x.image(TestImages.APP).dependsOn("a"))
        .service("c", x -> x.image(TestImages.APP).dependsOn("b"));
    refused(s, "A", "system 'cyc' is not valid", "dependency cycle: a -> c -> b -> a");
  }

  @Test
  void unknownServiceInDependencyRouteAndRelease() {
    GantrySystem s = GantrySystem.named("unk")
        .service("app", x -> x.image(TestImages.APP).port(8080).dependsOn("dbx"))
        .frontend(Frontend.nginx().image(TestImages.NGINX).route("/", "api:8080"));
    refused(s, "A", "service 'app' depends on unknown service 'dbx' (services: app)",
        "route / goes to unknown service 'api'");
    GantrySystem ok = GantrySystem.named("unk").service("app", x -> x.image(TestImages.APP));
    assertThatThrownBy(() -> Release.parse("A,web=B", ok)).isInstanceOf(UserError.class)
        .hasMessageContaining("names unknown service 'web'");
  }

  @Test
  void portPublishedTwice() {
    GantrySystem s = GantrySystem.named("ports")
        .service("app", x -> x.image(TestImages.APP).port(8080).publish(18080, 8080))
        .service("db", x -> x.image(TestImages.DB).port(7000).publish("0.0.0.0", 18080, 7000))
        .frontend(Frontend.nginx().image(TestImages.NGINX).listen(18080).route("/", "app:8080"));
    refused(s, "A", "host port 18080 is published twice: by service 'app' on 127.0.0.1 and by service 'db' on 0.0.0.0",
        "by the front end (http)");
  }

  @Test
  void missingImage() {
    GantrySystem s = GantrySystem.named("img")
        .service("app", x -> x.image(TestImages.APP).port(8080).volume("data", "/data"))
        .service("db", x -> x.image("gantry-test/never-built"));
    refused(s, "A", "image(s) missing on this machine: gantry-test/never-built:A (service db)", "nothing was changed");
  }

  @Test
  void anEngineThatDoesNotAnswerIsNamedFirst() {
    // every docker command of this host talks to a socket nobody listens on
    Target deaf = new ForwardingTarget(LocalTarget.thisMachine()) {
      @Override
      public ProcessResult run(Invocation command) {
        return real.run(command.env(Map.of("DOCKER_HOST", "unix://" + sb.root.resolve("nobody.sock"))));
      }

      @Override
      public String name() {
        return "the deaf host";
      }
    };
    HostTarget h = new HostTarget("deaf", "test", "127.0.0.1", deaf, host.root(), host.prefix());
    GantrySystem s = GantrySystem.named("deaf")
        .service("app", x -> x.image(TestImages.APP).port(8080).volume("data", "/data"))
        .frontend(Frontend.nginx().image(TestImages.NGINX).listen(18081).route("/", "app:8080"));
    assertThatThrownBy(() -> engine.deploy(s, h, Release.parse("A", s), compose)).isInstanceOf(UserError.class)
        .hasMessageContaining("reaching the Docker Engine on the deaf host");
    assertThat(Files.exists(Path.of(h.layout(s.name()).dir()))).isFalse();
    assertThat(sb.ledger.all()).isEmpty();
  }

  @Test
  void routeToUndeclaredPortAndHealthCheckWithoutPort() {
    GantrySystem s = GantrySystem.named("misc")
        .service("app", x -> x.image(TestImages.APP).health(HealthCheck.http("/health")))
        .service("web", x -> x.image(TestImages.APP).port(8080).port(8080))
        .frontend(Frontend.nginx().image(TestImages.NGINX).route("/", "web:9999"));
    refused(s, "A", "service 'app' has an HTTP health check but declares no port", "declares port 8080 twice",
        "route / goes to port 9999 but service 'web' declares ports [8080, 8080]");
  }

  @Test
  void malformedDeclarationsFailWhereTheyAreWritten() {
    assertThatThrownBy(() -> GantrySystem.named("Bad Name")).isInstanceOf(UserError.class)
        .hasMessageContaining("system name 'Bad Name'");
    assertThatThrownBy(() -> GantrySystem.named("s").service("app", x -> x.port(70000))).isInstanceOf(UserError.class)
        .hasMessageContaining("service 'app': port 70000 is not in 1..65535");
    assertThatThrownBy(() -> GantrySystem.named("s").service("app", x -> x.port(80))).isInstanceOf(UserError.class)
        .hasMessageContaining("service 'app' declares no image");
    assertThatThrownBy(() -> GantrySystem.named("s").service("app", x -> x.image("a").volume("data", "relative")))
        .isInstanceOf(UserError.class).hasMessageContaining("mount path 'relative' must be absolute");
    assertThatThrownBy(() -> Frontend.nginx().route("/", "app")).isInstanceOf(UserError.class)
        .hasMessageContaining("upstream 'app' must be SERVICE:PORT");
    assertThatThrownBy(() -> GantrySystem.named("s").service("a", x -> x.image("i")).service("a", x -> x.image("i")))
        .isInstanceOf(UserError.class).hasMessageContaining("service 'a' is declared twice");
    GantrySystem s = GantrySystem.named("s").service("a", x -> x.image("i"));
    assertThatThrownBy(() -> Release.parse("bad tag!", s)).isInstanceOf(UserError.class)
        .hasMessageContaining("'bad tag!' is not a valid image tag");
    assertThatThrownBy(() -> Release.parse("", s)).isInstanceOf(UserError.class).hasMessageContaining("is empty");
  }
}
