package dev.gantry.deploy.generate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.gantry.core.process.ProcessResult;
import dev.gantry.core.target.LocalTarget;
import dev.gantry.deploy.layout.Layout;
import dev.gantry.deploy.model.Frontend;
import dev.gantry.deploy.model.GantrySystem;
import dev.gantry.deploy.model.HealthCheck;
import dev.gantry.deploy.model.RestartPolicy;
import dev.gantry.deploy.release.Release;
import dev.gantry.deploy.testing.Specs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The generated compose, stack, nginx and systemd files, checked by the real tools and the published schema. */
class GeneratorsTest {
  static JsonSchema schema;
  static final LocalTarget SH = LocalTarget.thisMachine();

  @TempDir static Path tmp;
  static Path cert;
  static Path key;

  @BeforeAll
  static void setUp() throws Exception {
    // loaded by location so the schema's relative $id resolves against the file
    schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7).getSchema(Specs.composeSchema().toUri());
    cert = tmp.resolve("shop.crt");
    key = tmp.resolve("shop.key");
    SH.run(Duration.ofSeconds(60), "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
        "-subj", "/CN=shop.example.com", "-keyout", key.toString(), "-out", cert.toString()).requireOk("openssl");
  }

  static GantrySystem fullSystem() {
    return GantrySystem.named("shop")
        .service("db", s -> s.image("postgres:16.3").port(5432).volume("pgdata", "/var/lib/postgresql/data")
            .health(HealthCheck.command("pg_isready -U postgres")).restart(RestartPolicy.ALWAYS)
            .secret("POSTGRES_PASSWORD", "db-password"))
        .service("app", s -> s.image("shop/app").port(8080, 9090).dependsOn("db").publish(18080, 8080)
            .volume("events", "/data/events").env("MODE", "production").env("YES", "yes")
            .health(HealthCheck.http("/health").every(Duration.ofMillis(1500)))
            .eventSchema(3).harmlessEvents("UserLoggedIn").command("/bin/app", "--port", "8080"))
        .service("worker", s -> s.image("shop/worker").dependsOn("app", "db").restart(RestartPolicy.ON_FAILURE))
        .frontend(Frontend.nginx().user("www-data").listen(18443)
            .route("/", "app:8080").route("/metrics", "app:9090")
            .site("shop.example.com", site -> site.route("/", "app:8080").tls(cert.toString(), key.toString())));
  }

  static String composeFor(GantrySystem system, Layout layout) {
    return ComposeGenerator.compose(system, Release.parse("abc123f", system), layout);
  }

  @Test
  void composeFileValidatesAgainstTheComposeSpecification() throws Exception {
    GantrySystem system = fullSystem();
    Layout layout = Layout.of(tmp.toString(), "", "shop");
    String yaml = composeFor(system, layout);
    JsonNode tree = new YAMLMapper().readTree(yaml);
    Set<ValidationMessage> errors = schema.validate(tree);
    assertThat(errors).as(yaml).isEmpty();

    assertThat(tree.at("/services/app/image").asText()).isEqualTo("shop/app:abc123f");
    assertThat(tree.at("/services/db/image").asText()).as("pinned tag kept").isEqualTo("postgres:16.3");
    assertThat(tree.at("/services/app/depends_on/db/condition").asText()).isEqualTo("service_healthy");
    // worker is stateless: it runs as an instance named after its specification, so a new one starts beside the old
    String worker = iterable(tree.at("/services").fieldNames()).stream().filter(n -> n.startsWith("worker-")).findFirst()
        .orElseThrow();
    assertThat(worker).matches("worker-[0-9a-f]{8}");
    assertThat(tree.at("/services/" + worker + "/depends_on/app/condition").asText()).isEqualTo("service_healthy");
    assertThat(ComposeGenerator.model(system, Release.parse("abc123f", system), layout, false).names())
        .containsEntry("app", "app").containsEntry("db", "db").containsEntry("worker", worker);
    assertThat(ComposeGenerator.model(system, Release.parse("def4567", system), layout, false).names().get("worker"))
        .as("a new tag is a new instance").isNotEqualTo(worker);
    assertThat(tree.at("/services/app/healthcheck/interval").asText()).isEqualTo("1500ms");
    assertThat(tree.at("/services/app/labels").toString()).as("nothing per release: unchanged services stay")
        .contains("dev.gantry.service").doesNotContain("abc123f", "release");
    assertThat(tree.at("/services/app/environment/YES").asText()).isEqualTo("yes");
    assertThat(tree.at("/services/app/ports/0").asText()).isEqualTo("127.0.0.1:18080:8080");
    assertThat(tree.at("/volumes/events/name").asText()).isEqualTo("shop_events");
    assertThat(tree.at("/volumes/events/external").asBoolean()).isTrue();
    assertThat(tree.at("/services/" + worker + "/restart").asText()).isEqualTo("on-failure");
    assertThat(yaml).doesNotContain("db-password").as("secrets stay out of the compose file");
    assertThat(tree.at("/services/db/env_file/0").asText()).isEqualTo("./secrets/db.env");

    // the schema check is real: a misspelt key is caught
    ((com.fasterxml.jackson.databind.node.ObjectNode) tree.at("/services/app")).put("restrat", "always");
    assertThat(schema.validate(tree)).isNotEmpty();
  }

  @Test
  @Tag("integration") // runs docker-compose
  void dockerComposeAcceptsTheFile() throws Exception {
    GantrySystem system = fullSystem();
    Path dir = Files.createDirectories(tmp.resolve("compose-check"));
    Layout layout = new Layout(dir.toString(), "shop");
    for (GeneratedFile f : SystemFiles.generate(system, Release.parse("abc123f", system), layout, false,
        k -> Optional.of("s3cret-" + k)).files()) {
      Path p = dir.resolve(f.relativePath());
      Files.createDirectories(p.getParent());
      Files.writeString(p, f.content());
    }
    ProcessResult r = SH.run(Duration.ofSeconds(60), List.of("docker-compose", "-p", "shop", "-f", dir.resolve("compose.yml").toString(), "config"));
    assertThat(r.ok()).as(r.stderr()).isTrue();
    assertThat(r.stdout()).contains("condition: service_healthy", "shop/app:abc123f", "POSTGRES_PASSWORD: s3cret-db-password");
    assertThat(Files.readString(dir.resolve("secrets/db.env"))).isEqualTo("POSTGRES_PASSWORD=s3cret-db-password\n");
  }

  @Test
  void stackFileValidatesAgainstTheSchemaWithUpdateAndRollbackSettings() throws Exception {
    GantrySystem system = fullSystem();
    Map<String, Object> tree = ComposeGenerator.tree(system, Release.parse("abc123f", system), new Layout(tmp.toString(), "shop"), true);
    String yaml = Yaml.write(tree);
    JsonNode node = new YAMLMapper().readTree(yaml);
    assertThat(schema.validate(node)).as(yaml).isEmpty();
    assertThat(node.at("/services/app/deploy/update_config/failure_action").asText()).isEqualTo("rollback");
    // monitor covers the health check's worst case: 3 x (1.5s + 3s) + 2s
    assertThat(node.at("/services/app/deploy/update_config/monitor").asText()).isEqualTo("15500ms");
    assertThat(node.at("/services/app/depends_on").isMissingNode()).isTrue();
    assertThat(node.at("/services/app/ports/0/mode").asText()).isEqualTo("host");
  }

  @Test
  @Tag("integration") // runs nginx
  void nginxConfigPassesNginxT() throws Exception {
    String conf = NginxGenerator.config(fullSystem(), "abc123f", Map.of());
    Path prefix = Files.createDirectories(tmp.resolve("nginx-prefix"));
    Path file = prefix.resolve("nginx.conf");
    Files.writeString(file, conf);
    ProcessResult r = SH.run(Duration.ofSeconds(30), List.of("nginx", "-t", "-p", prefix.toString(), "-c", file.toString()));
    assertThat(r.ok()).as(conf + "\n" + r.stderr()).isTrue();
    assertThat(r.stderr()).contains("test is successful");
    assertThat(conf).contains("server_name shop.example.com;", "ssl_certificate " + cert, "return 301 https://",
        "set $gantry_upstream_", "http://app:9090", "listen 80 default_server;");
  }

  @Test
  @Tag("integration") // runs nginx
  void nginxTRejectsABrokenCertificatePathSoTheCheckIsReal() throws Exception {
    Frontend f = Frontend.nginx().user("www-data").site("a.example.com", s -> s.route("/", "app:8080")
        .tls("/nonexistent/a.crt", "/nonexistent/a.key"));
    Path prefix = Files.createDirectories(tmp.resolve("nginx-bad"));
    Path file = prefix.resolve("nginx.conf");
    Files.writeString(file, NginxGenerator.config(GantrySystem.named("x").service("app", s -> s.image("x/app").port(8080))
        .frontend(f), "1", Map.of()));
    ProcessResult r = SH.run(Duration.ofSeconds(30), List.of("nginx", "-t", "-p", prefix.toString(), "-c", file.toString()));
    assertThat(r.ok()).isFalse();
    assertThat(r.stderr()).contains("/nonexistent/a.crt");
  }

  @Test
  @Tag("integration") // runs nginx
  void theInterimConfigurationKeepsTheServedRoutesAndProbesTheNewRelease() throws Exception {
    GantrySystem before = GantrySystem.named("shop").service("app", s -> s.image("shop/app").port(8080)
        .health(HealthCheck.http("/health"))).frontend(Frontend.nginx().user("www-data").route("/", "app:8080"));
    GantrySystem after = GantrySystem.named("shop").service("app", s -> s.image("shop/app").port(8080, 9090)
        .health(HealthCheck.http("/health"))).frontend(Frontend.nginx().user("www-data").route("/", "app:9090")
        .route("/api", "app:8080"));
    String served = NginxGenerator.config(before, "A", Map.of("app", "app-0000aaaa"));
    String interim = NginxGenerator.withCandidates(served, after, Map.of("app", "app-1111bbbb")).orElseThrow();
    // what serves requests is untouched
    assertThat(interim).contains("set $gantry_upstream_0 http://app-0000aaaa:8080;", "set $gantry_route_0 http://app-0000aaaa:8080/health;")
        .doesNotContain("http://app-0000aaaa:9090", "location /api ");
    // one candidate probe per new route, to the new instance
    assertThat(interim).contains("location = /gantry/candidate/0 {", "set $gantry_candidate_0 http://app-1111bbbb:9090/;",
        "location = /gantry/candidate/1 {", "set $gantry_candidate_1 http://app-1111bbbb:8080/health;");
    assertThat(interim.split("location = /gantry/candidate/0 ", -1)).hasSize(2);
    assertThat(NginxGenerator.generation(interim)).isPresent().isNotEqualTo(NginxGenerator.generation(served));
    assertThat(NginxGenerator.withCandidates(interim, after, Map.of("app", "app-1111bbbb"))).contains(interim);
    assertThat(NginxGenerator.withCandidates("events {}\nhttp {}\n", after, Map.of())).isEmpty();
    Path prefix = Files.createDirectories(tmp.resolve("nginx-interim"));
    Path file = prefix.resolve("nginx.conf");
    Files.writeString(file, interim);
    ProcessResult r = SH.run(Duration.ofSeconds(30), List.of("nginx", "-t", "-p", prefix.toString(), "-c", file.toString()));
    assertThat(r.ok()).as(interim + "\n" + r.stderr()).isTrue();
  }

  @Test
  void filesThatDifferOnlyInTheirImagesHaveOneShape() {
    GantrySystem shop = GantrySystem.named("shop")
        .service("db", s -> s.image("shop/db").port(5432).volume("pgdata", "/var/lib/postgresql/data"))
        .service("app", s -> s.image("shop/app").port(8080).dependsOn("db").health(HealthCheck.http("/health")))
        .frontend(Frontend.nginx().route("/", "app:8080"));
    Layout layout = Layout.of("/var/lib/gantry", "", "shop");
    String a = ComposeGenerator.compose(shop, Release.parse("aaa1111", shop), layout);
    String b = ComposeGenerator.compose(shop, Release.parse("app=bbb2222,db=ccc3333", shop), layout);
    assertThat(a).isNotEqualTo(b).containsPattern("app-[0-9a-f]{8}:");
    assertThat(ComposeGenerator.shape(a)).isPresent().isEqualTo(ComposeGenerator.shape(b));
    GantrySystem otherPort = GantrySystem.named("shop")
        .service("db", s -> s.image("shop/db").port(5432).volume("pgdata", "/var/lib/postgresql/data"))
        .service("app", s -> s.image("shop/app").port(8081).dependsOn("db").health(HealthCheck.http("/health")))
        .frontend(Frontend.nginx().route("/", "app:8081"));
    assertThat(ComposeGenerator.shape(ComposeGenerator.compose(otherPort, Release.parse("aaa1111", otherPort), layout)))
        .isNotEqualTo(ComposeGenerator.shape(a));
    GantrySystem withEnv = GantrySystem.named("shop")
        .service("db", s -> s.image("shop/db").port(5432).volume("pgdata", "/var/lib/postgresql/data"))
        .service("app", s -> s.image("shop/app").port(8080).dependsOn("db").health(HealthCheck.http("/health"))
            .env("MODE", "x"))
        .frontend(Frontend.nginx().route("/", "app:8080"));
    assertThat(ComposeGenerator.shape(ComposeGenerator.compose(withEnv, Release.parse("aaa1111", withEnv), layout)))
        .isNotEqualTo(ComposeGenerator.shape(a));
    assertThat(ComposeGenerator.shape("services: [unclosed")).isEmpty();
  }

  @Test
  void systemdUnitStartsTheComposeProjectAtBoot() throws Exception {
    Layout layout = Layout.of("/var/lib/gantry", "", "shop");
    String unit = SystemdUnitGenerator.unit(layout, "shop", "abc123f", "/usr/bin/docker-compose");
    assertThat(unit).contains("WantedBy=multi-user.target", "Requires=docker.service", "After=docker.service",
        "ExecStart=/usr/bin/docker-compose -p shop -f /var/lib/gantry/systems/shop/compose.yml up -d",
        "Type=oneshot", "RemainAfterExit=yes");
    ProcessResult analyze = SH.run(Duration.ofSeconds(10), "sh", "-c", "command -v systemd-analyze");
    if (analyze.ok()) {
      Path f = tmp.resolve(layout.unitName());
      Files.writeString(f, unit);
      ProcessResult r = SH.run(Duration.ofSeconds(30), List.of("systemd-analyze", "verify", f.toString()));
      assertThat(r.stderr()).doesNotContain("Unknown key", "Unknown section", "Invalid");
    }
  }

  static List<String> iterable(java.util.Iterator<String> it) {
    List<String> out = new java.util.ArrayList<>();
    it.forEachRemaining(out::add);
    return out;
  }
}
