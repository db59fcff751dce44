package dev.gantry.deploy.generate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.gantry.deploy.layout.Layout;
import dev.gantry.deploy.model.Frontend;
import dev.gantry.deploy.model.GantrySystem;
import dev.gantry.deploy.model.HealthCheck;
import dev.gantry.deploy.release.Release;
import org.junit.jupiter.api.Test;

/** Where a stack's tasks may run on a swarm of several nodes. */
class SwarmPlacementTest {
  static final GantrySystem SHOP = GantrySystem.named("shop")
      .service("db", s -> s.image("shop/db").port(5432).volume("dbdata", "/var/lib/db"))
      .service("cache", s -> s.image("shop/cache").port(6379).publish(16379, 6379))
      .service("app", s -> s.image("10.213.1.2:5000/shop/app").port(8080).replicas(2).health(HealthCheck.http("/health")))
      .frontend(Frontend.nginx().listen("0.0.0.0", 80, 443).route("/", "app:8080"));

  static JsonNode stack() throws Exception {
    Layout layout = new Layout("/var/lib/gantry", "shop-web1");
    return new YAMLMapper().readTree(Yaml.write(ComposeGenerator.tree(SHOP, Release.parse("A", SHOP), layout, true)));
  }

  @Test
  void theFrontAndServicesWithDataOrAHostPortArePinnedToTheManagerDeployedTo() throws Exception {
    JsonNode services = stack().path("services");
    String pinned = "node.labels.dev.gantry.home.shop-web1 == true";
    assertThat(services.at("/frontend/deploy/placement/constraints/0").asText()).isEqualTo(pinned);
    assertThat(services.at("/db/deploy/placement/constraints/0").asText()).isEqualTo(pinned);
    assertThat(services.at("/cache/deploy/placement/constraints/0").asText()).isEqualTo(pinned);
    assertThat(SwarmSettings.homeLabel("shop-web1")).isEqualTo("dev.gantry.home.shop-web1");
  }

  @Test
  void aStatelessServiceGoesWhereverSwarmSpreadsItWithDnsRoundRobin() throws Exception {
    JsonNode app = stack().at("/services/app");
    assertThat(app.at("/deploy/placement").isMissingNode()).isTrue();
    assertThat(app.at("/deploy/replicas").asInt()).isEqualTo(2);
    assertThat(app.at("/deploy/endpoint_mode").asText()).isEqualTo("dnsrr");
    assertThat(app.at("/deploy/update_config/order").asText()).isEqualTo("start-first");
  }

  @Test
  void aComposeFileHasNoPlacement() throws Exception {
    Layout layout = new Layout("/var/lib/gantry", "shop-web1");
    String compose = ComposeGenerator.compose(SHOP, Release.parse("A", SHOP), layout);
    assertThat(compose).doesNotContain("placement").doesNotContain("dev.gantry.home");
  }
}
