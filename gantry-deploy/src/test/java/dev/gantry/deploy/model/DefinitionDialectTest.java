package dev.gantry.deploy.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.core.definition.DefinitionError;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Systems speak the definition dialect: DefinitionError, the name rule, services by handle. */
class DefinitionDialectTest {

  @Test
  void servicesCanBeReferredToByTheirHandles() {
    var capital = GantrySystem.named("capital");
    var db = capital.add("db", s -> s.image("capital/db").port(5432));
    var app = capital.add("app", s -> s.image("capital/app").port(8080).dependsOn(db));
    capital.frontend(Frontend.nginx().route("/", app, 8080)
        .site("admin.example.com", site -> site.route("/admin", app, 8080)));

    assertThat(db).isEqualTo(new ServiceRef("capital", "db"));
    assertThat(capital.service("app").orElseThrow().dependsOn()).containsExactly("db");
    assertThat(capital.frontend().orElseThrow().sites()).flatExtracting(Site::routes)
        .containsExactly(new Route("/", "app", 8080), new Route("/admin", "app", 8080));
    assertThat(SystemValidator.problems(capital)).isEmpty();
  }

  @Test
  void aHandleAndItsStringSayTheSame() {
    GantrySystem byName = GantrySystem.named("s")
        .service("db", s -> s.image("db").port(5432))
        .service("app", s -> s.image("app").port(8080).dependsOn("db"))
        .frontend(Frontend.nginx().route("/", "app:8080"));
    var byHandle = GantrySystem.named("s");
    var db = byHandle.add("db", s -> s.image("db").port(5432));
    var app = byHandle.add("app", s -> s.image("app").port(8080).dependsOn(db));
    byHandle.frontend(Frontend.nginx().route("/", app, 8080));

    assertThat(byHandle.services()).isEqualTo(byName.services());
    assertThat(byHandle.frontend()).isEqualTo(byName.frontend());
  }

  @Test
  void aHandleOfAnotherSystemIsRefusedWhereItIsUsed() {
    var other = GantrySystem.named("other");
    var db = other.add("db", s -> s.image("db"));
    assertThatThrownBy(() -> GantrySystem.named("capital").add("app", s -> s.image("app").dependsOn(db)))
        .isInstanceOf(DefinitionError.class)
        .hasMessage("system 'capital': service 'app' depends on service 'db' of system 'other';"
            + " a service depends only on services of its own system");
  }

  @Test
  void anUnknownServiceNamedInAStringNamesTheSystemTheReferenceAndTheKnownServices() {
    GantrySystem s = GantrySystem.named("capital")
        .service("db", x -> x.image("db").port(5432))
        .service("app", x -> x.image("app").port(8080).dependsOn("dbb"))
        .frontend(Frontend.nginx().route("/", "ap:8080"));
    assertThatThrownBy(() -> SystemValidator.requireValid(s)).isInstanceOf(DefinitionError.class)
        .hasMessageContaining("system 'capital' is not valid")
        .hasMessageContaining("service 'app' depends on unknown service 'dbb' (services: db, app)")
        .hasMessageContaining("route / goes to unknown service 'ap' (services: db, app)");
  }

  @Test
  void systemAndServiceNamesFollowTheNameRuleAndDockers() {
    for (String good : List.of("capital", "my-app", "app_2", "9lives")) {
      assertThat(GantrySystem.named(good).name()).isEqualTo(good);
      assertThat(GantrySystem.named("s").add(good, x -> x.image("i")).name()).isEqualTo(good);
    }
    assertThatThrownBy(() -> GantrySystem.named("Capital")).isInstanceOf(DefinitionError.class)
        .hasMessage("invalid system name 'Capital' (Docker Compose names have no upper case or '.'): use lower-case"
            + " letters, digits, '_' or '-', starting with a letter or digit, at most 128 characters");
    assertThatThrownBy(() -> GantrySystem.named("my.app")).hasMessageContaining("(Docker Compose names have no upper case or '.')");
    assertThatThrownBy(() -> GantrySystem.named("my app")).hasMessageStartingWith("invalid system name 'my app' (no spaces)");
    assertThatThrownBy(() -> GantrySystem.named("s").service("-db", x -> x.image("i")))
        .isInstanceOf(DefinitionError.class).hasMessageStartingWith("invalid service name '-db' (it starts with '-')");
    assertThatThrownBy(() -> GantrySystem.named("s").service("db", x -> x.image("i").volume("pg data", "/data")))
        .isInstanceOf(DefinitionError.class).hasMessageStartingWith("service 'db': invalid volume name 'pg data' (no spaces)");
    assertThat(GantrySystem.named("s").service("db", x -> x.image("i").volume("pg.Data", "/data")).volumes())
        .containsExactly("pg.Data");
  }

  @Test
  void everyMistakeInASystemIsADefinitionError() {
    assertThatThrownBy(() -> GantrySystem.named("s").service("a", x -> x.image("i").port(0)))
        .isInstanceOf(DefinitionError.class);
    assertThatThrownBy(() -> Frontend.nginx().route("/", "app")).isInstanceOf(DefinitionError.class);
    assertThatThrownBy(() -> Frontend.nginx().route("/", null, 8080)).isInstanceOf(DefinitionError.class)
        .hasMessage("route /: the service is null");
    assertThatThrownBy(() -> HealthCheck.http("/it's")).isInstanceOf(DefinitionError.class)
        .hasMessage("health check path '/it's' cannot contain a quote");
    assertThatThrownBy(() -> HealthCheck.http("/h").retries(0)).isInstanceOf(DefinitionError.class);
    assertThatThrownBy(() -> Site.named()).isInstanceOf(DefinitionError.class);
  }
}
