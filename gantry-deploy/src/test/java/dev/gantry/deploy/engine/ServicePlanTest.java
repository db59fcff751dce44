package dev.gantry.deploy.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.deploy.generate.ComposeGenerator;
import dev.gantry.deploy.layout.Layout;
import dev.gantry.deploy.model.Frontend;
import dev.gantry.deploy.model.GantrySystem;
import dev.gantry.deploy.release.Release;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What a release does to each service, decided from the running compose file and the next one. */
class ServicePlanTest {
  static final Layout LAYOUT = new Layout("/srv/gantry", "shop-prod");

  static GantrySystem shop(String dbImage) {
    return GantrySystem.named("shop")
        .service("db", s -> s.image(dbImage).port(7000).volume("dbdata", "/var/lib/db"))
        .service("app", s -> s.image("shop/app").port(8080).dependsOn("db"))
        .frontend(Frontend.nginx().image("nginx:1.27").route("/", "app:8080"));
  }

  static String running(GantrySystem system, String release) {
    return ComposeGenerator.compose(system, Release.parse(release, system), LAYOUT);
  }

  static ServicePlan plan(GantrySystem system, Optional<String> now, String release) {
    return ServicePlan.of(system, now, ComposeGenerator.model(system, Release.parse(release, system), LAYOUT, false), false);
  }

  @Test
  void aNewReleaseOfTheAppStartsBesideTheOldOneAndLeavesTheRestAlone() {
    ServicePlan p = plan(shop("db:1"), Optional.of(running(shop("db:1"), "A")), "B");

    assertThat(p.changes()).filteredOn(c -> c.service().equals("app")).singleElement()
        .isInstanceOf(ServicePlan.Change.StartsBeside.class);
    assertThat(p.changes()).filteredOn(c -> !c.service().equals("app"))
        .allMatch(c -> c instanceof ServicePlan.Change.Unchanged);
    assertThat(p.switchesFront()).isTrue();
    assertThat(p.frontKept()).isTrue();
    assertThat(p.downtime()).isEmpty();
  }

  @Test
  void aServiceWithADataVolumeIsRecreatedInPlaceAndSaysSo() {
    ServicePlan p = plan(shop("db:2"), Optional.of(running(shop("db:1"), "A")), "A");

    assertThat(p.downtime()).singleElement().satisfies(r -> {
      assertThat(r.service()).isEqualTo("db");
      assertThat(r.stateful()).isTrue();
      assertThat(r.describe()).startsWith("db will be recreated: it is down while it restarts");
    });
    assertThat(p.switchesFront()).isFalse();
  }

  @Test
  void aServiceWhoseVolumeIsSharedStartsBesideTheOldOneOverTheSameVolume() {
    GantrySystem capital = GantrySystem.named("capital")
        .service("app", s -> s.image("capital/app").port(8080).sharedVolume("events", "/data/events"))
        .frontend(Frontend.nginx().image("nginx:1.27").route("/", "app:8080"));
    ServicePlan p = plan(capital, Optional.of(running(capital, "A")), "B");

    assertThat(p.changes()).filteredOn(c -> c.service().equals("app")).singleElement()
        .isInstanceOf(ServicePlan.Change.StartsBeside.class);
    assertThat(p.downtime()).isEmpty();
    assertThat(p.switchesFront()).isTrue();
    // both copies mount the one volume
    assertThat(ComposeGenerator.compose(capital, Release.parse("B", capital), LAYOUT)).contains("shop-prod_events");
  }

  @Test
  void aServiceWithOneSharedAndOneExclusiveVolumeIsStillRecreatedNamingTheExclusiveOne() {
    GantrySystem s2 = GantrySystem.named("capital")
        .service("app", s -> s.image("capital/app").port(8080).sharedVolume("events", "/data/events").volume("index", "/data/index"))
        .frontend(Frontend.nginx().image("nginx:1.27").route("/", "app:8080"));
    ServicePlan p = plan(s2, Optional.of(running(s2, "A")), "B");
    assertThat(p.downtime()).singleElement().satisfies(r -> assertThat(r.describe()).contains("data volume index,")
        .doesNotContain("events"));
  }

  @Test
  void theFirstReleaseAddsEverything() {
    ServicePlan p = plan(shop("db:1"), Optional.empty(), "A");

    assertThat(p.changes()).hasSize(3).allMatch(c -> c instanceof ServicePlan.Change.Added);
    assertThat(p.frontKept()).isFalse();
  }

  @Test
  void whatNoLongerRunsIsNamedSoThatNothingIsSwitchedFromIt() {
    GantrySystem shop = shop("db:1");
    ServicePlan p = plan(shop, Optional.of(running(shop, "A")), "B");
    String oldApp = ((ServicePlan.Change.StartsBeside) p.changes().stream().filter(c -> c.service().equals("app"))
        .findFirst().orElseThrow()).oldName();

    assertThat(p.notServing(Set.of("db", oldApp, Frontend.SERVICE))).isEmpty();
    assertThat(p.notServing(Set.of("db", Frontend.SERVICE))).containsExactly(oldApp);
    assertThat(p.notServing(Set.of())).containsExactly(Frontend.SERVICE, oldApp);
  }
}
