import static dev.gantry.cloud.Cloud.lab;
import static dev.gantry.monitor.rules.BuiltinRules.diskFull;
import static dev.gantry.monitor.rules.BuiltinRules.hostDown;
import static dev.gantry.monitor.rules.BuiltinRules.httpErrorRate;
import static dev.gantry.monitor.rules.BuiltinRules.httpLatency;
import static dev.gantry.monitor.rules.BuiltinRules.probeFailures;

import dev.gantry.core.infra.HostSpec;
import dev.gantry.core.infra.Infrastructure;
import dev.gantry.core.infra.InfrastructureDefinition;
import dev.gantry.core.target.FileAttrs;
import dev.gantry.deploy.model.Frontend;
import dev.gantry.deploy.model.GantrySystem;
import dev.gantry.deploy.model.HealthCheck;
import dev.gantry.host.lib.Apt;
import dev.gantry.host.lib.Certificates;
import dev.gantry.host.lib.Cmd;
import dev.gantry.host.lib.Collectd;
import dev.gantry.host.lib.Docker;
import dev.gantry.host.lib.DockerRegistry;
import dev.gantry.host.lib.File;
import dev.gantry.host.lib.GantryContainers;
import dev.gantry.host.lib.Nftables;
import dev.gantry.host.lib.Systemd;
import dev.gantry.host.lib.User;
import dev.gantry.host.property.Property;
import dev.gantry.host.property.SecretRef;
import dev.gantry.monitor.probe.HttpProbe;
import dev.gantry.monitor.rules.Monitoring;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The example company: four lab machines with the seed's roles, the event service capital
 * (examples/app) released to staging and production behind nginx, the registry and Gantry's CI
 * on the ci machine, and Gantry's monitor on a machine of its own receiving every machine's
 * collectd. examples/run.sh brings all of it up; docs/walkthrough.md explains each piece.
 *
 * <p>Secrets are vault entries (gantry vault set NAME any): registry-password (the registry's
 * user ci), agent-token (the CI agents'), deploy-key (the SSH key CI's staging step deploys
 * with), monitor-notify (the monitor's Slack webhook, as the line
 * GANTRY_NOTIFY_SLACK_WEBHOOK=URL of its environment file) and gantry-ca-key (gantry ca init).
 */
public class Infra implements InfrastructureDefinition {
  static final String REGISTRY = Lab.CI + ":5000";
  static final String REGISTRY_CRT = "/etc/docker/registry/tls.crt";
  static final String REGISTRY_KEY = "/etc/docker/registry/tls.key";
  /** The CI server's data on the ci machine (its container's /var/lib/gantry). */
  static final String CI_DATA = "/srv/gantry";
  /** On the ci machine: what the CI's staging step deploys with (infra/, known_hosts, id_ed25519). */
  static final String DEPLOY_DIR = "/etc/gantry/deploy";
  /** Gantry's Riemann port on the monitor machine, where collectd and the application send. */
  static final int RIEMANN = 5555;
  /** The monitor's dashboard and HTTP API on the monitor machine. */
  static final int MONITOR_HTTP = 8080;
  /** The demo's stand-in for Slack on the monitor machine: it keeps what it is sent in a file. */
  static final int SLACK_PORT = 9099;
  /** The release each environment runs until a deploy records another in hosts.yml and the ledger. */
  static final String FIRST_RELEASE = "first";

  public void define(Infrastructure i) {
    var password = SecretRef.of("registry-password", "any");
    var agentToken = SecretRef.of("agent-token", "any");
    var tls = DockerRegistry.tls(REGISTRY_CRT, REGISTRY_KEY);

    // the application: events on a volume that two copies can share (capital appends each event
    // with one O_APPEND write and reads the file), so a release starts beside the old one; the
    // schema and the events a rollback may lose, how to list what was written and how to
    // anonymize a copy for staging
    var capital = i.add(GantrySystem.named("capital")
        .service("app", s -> s.image(REGISTRY + "/capital/app").port(8080)
            .sharedVolume("events", "/data/events")
            .env("RIEMANN_HOST", Lab.MONITOR)
            // one name for the service's events wherever it runs: a container's own name would
            // go quiet with every release, and the monitor would call that container down
            .env("APP_HOST_NAME", "capital")
            .health(HealthCheck.http("/health").every(Duration.ofMillis(500)))
            .eventSchema(1).harmlessEvents("UserLoggedIn", "UserLoggedOut")
            .inspect("app-events --since \"$GANTRY_SINCE\"")
            .anonymizer("app-anonymize /data/events"))
        .frontend(Frontend.nginx().image(REGISTRY + "/capital/nginx:stable").listen("0.0.0.0", 80, 443)
            .route("/", "app:8080")));

    var ci = i.host(Lab.PREFIX + "-ci").role("ci").provisionedBy(machine())
        .with(everyMachine(22, 5000, 8080))
        // git for the repository pushed to over SSH, curl and openssl for its hooks
        .with(Apt.installed("docker-registry", "git", "curl", "openssl"),
            Certificates.server("registry", REGISTRY_CRT, REGISTRY_KEY, Lab.CI, "127.0.0.1").ownedBy("docker-registry", "docker-registry"),
            DockerRegistry.serving(5000, tls, "ci", password),
            ciRepository());
    var monitor = i.host(Lab.PREFIX + "-monitor").role("monitor").provisionedBy(machine())
        // the application reports over UDP: Riemann's port is open for both
        .with(everyMachine(Nftables.rules(tcpAndUdpFirewall(new int[] {22, RIEMANN, MONITOR_HTTP}, RIEMANN))))
        .with(File.directory("/etc/gantry", FileAttrs.mode(0755)),
            File.hasSecret("/etc/gantry/monitor.env", SecretRef.of("monitor-notify", "any"), FileAttrs.mode(0600)),
            File.hasContent("/usr/local/bin/slack-receiver", SLACK_RECEIVER, FileAttrs.mode(0755)),
            Systemd.unit("slack-receiver.service", slackReceiverUnit()).onChange(Systemd.restarted("slack-receiver")),
            Systemd.enabled("slack-receiver"), Systemd.started("slack-receiver"));
    // Gantry itself runs from its images in the registry, which exist once the registry does:
    // a first spin makes the machines, a second (with Lab.GANTRY_TAG) starts Gantry on them
    if (!Lab.GANTRY_TAG.isBlank()) {
      ci.with(GantryContainers.server(gantryImage("server"), 8080, CI_DATA, GantryContainers.plainHttpOnPrivateNetwork(), agentToken),
          // what the builder's staging step logs in with (the infrastructure repository and
          // known_hosts beside it are copied by run.sh)
          File.directory(DEPLOY_DIR, FileAttrs.mode(0700)),
          File.hasSecret(DEPLOY_DIR + "/id_ed25519", SecretRef.of("deploy-key", "any"), FileAttrs.mode(0600)),
          // the builder: its image has git and the docker client; the host's Docker builds and
          // pushes capital's image, the repository is where the server names it, and the
          // staging step deploys with Gantry from the image
          GantryContainers.agent(gantryImage("agent"), "http://127.0.0.1:8080", agentToken, "ci-builder", "linux", "docker")
              .usingHostDocker()
              .mountingReadOnly(CI_DATA + "/repos", "/var/lib/gantry/repos")
              .mountingReadOnly(DEPLOY_DIR, DEPLOY_DIR)
              .env("REGISTRY", REGISTRY).env("REGISTRY_USER", "ci").env("REGISTRY_PASSWORD", password)
              .env("STAGING_HOST", Lab.PREFIX + "-staging").env("PRODUCTION_HOST", Lab.PREFIX + "-production")
              .env("GANTRY_DEPLOY_DIR", DEPLOY_DIR),
          ciHooks());
      monitor.with(Systemd.unit("gantry-monitor.service", monitorUnit()).onChange(Systemd.restarted("gantry-monitor")),
          Systemd.enabled("gantry-monitor"), Systemd.started("gantry-monitor"));
    }

    i.host(Lab.PREFIX + "-staging").role("staging").provisionedBy(machine())
        .with(everyMachine(22, 80))
        .runs(capital, FIRST_RELEASE);

    i.host(Lab.PREFIX + "-production").role("production").provisionedBy(machine())
        .with(everyMachine(22, 80))
        .runs(capital, FIRST_RELEASE);

    // what the monitor watches; whom it tells is the monitor's own setting: notify.slack-webhook
    // (GANTRY_NOTIFY_SLACK_WEBHOOK in its environment file, the vault's monitor-notify) gets
    // every alert, so the webhook, a secret, is in no definition
    i.add(Monitoring.rules()
        .rule(diskFull(90, Duration.ofHours(24)))
        .rule(hostDown(Duration.ofSeconds(20)))
        .rule(httpErrorRate(0.05, Duration.ofMinutes(1)))
        .rule(httpLatency(0.99, Duration.ofMillis(500), Duration.ofMinutes(1)))
        .rule(probeFailures())
        .groupWait(Duration.ofSeconds(2)));
    i.add(HttpProbe.get("http://" + Lab.PRODUCTION + "/health").named("public-site")
        .every(Duration.ofSeconds(10)).expectStatus(200).expectBody("\"status\":\"ok\""));
  }

  /**
   * The repository the CI guards: bare, in the server's data folder on the machine
   * ({@link #CI_DATA}, /var/lib/gantry in the containers). Made at the first spin, so the
   * repository's start can be pushed to master before its guard is installed.
   */
  private static Property ciRepository() {
    return Cmd.scripted("CI repository " + CI_DATA + "/repos/app.git",
        "test -f " + CI_DATA + "/repos/app.git/HEAD",
        "set -e; mkdir -p " + CI_DATA + "/repos; git init -q --bare -b master " + CI_DATA + "/repos/app.git");
  }

  /**
   * The repository's hooks, from {@code gantry ci install-hook} (Gantry's Java and jar taken
   * from its agent image: the hooks run on this machine, with its curl and openssl): a push to
   * review reaches the server, signed with the secret the server made in its data folder, and
   * only the gate moves master.
   */
  private static Property ciHooks() {
    String image = gantryImage("agent");
    String home = "/opt/gantry";
    String repo = CI_DATA + "/repos/app.git";
    String secret = CI_DATA + "/ci/hook-secret";
    var cli = Cmd.scripted("Gantry's command line from " + image + " in " + home,
        "grep -qxF '" + image + "' " + home + "/image",
        "set -e; docker pull -q " + image + " >/dev/null; rm -rf " + home + "; mkdir -p " + home
            + "; id=$(docker create " + image + "); docker cp $id:/opt/java " + home + "/java"
            + " && docker cp $id:/opt/gantry/gantry.jar " + home + "/gantry.jar; docker rm $id >/dev/null"
            + "; echo '" + image + "' > " + home + "/image");
    var hooks = Cmd.scripted("CI hooks of " + repo + " (review to the server, master only through the gate)",
        "grep -q 'gantry-ci post-receive hook' " + repo + "/hooks/post-receive && [ \"$(cat " + secret + ")\" = \"$(cat " + repo
            + "/hooks/gantry-hook.secret)\" ]",
        // the server writes its secret when it starts
        "set -e; for n in $(seq 60); do [ -s " + secret + " ] && break; sleep 1; done; " + home + "/java/bin/java -jar "
            + home + "/gantry.jar ci install-hook " + repo + " --server http://127.0.0.1:8080 --secret-file " + secret);
    return dev.gantry.host.property.Props.sequence("CI hooks", cli, hooks);
  }

  /** Gantry's image {@code kind} (server, agent) as the registry serves it. */
  private static String gantryImage(String kind) {
    return REGISTRY + "/gantry/" + kind + ":" + Lab.GANTRY_TAG;
  }

  /** A lab machine on this machine, root's key authorized. */
  private static dev.gantry.cloud.provision.LabProvisioning machine() {
    return lab().authorizedKey(Path.of(Lab.AUTHORIZED_KEY)).rootfs(Path.of(Lab.ROOTFS));
  }

  /**
   * What every machine has: packages from the lab's cache, an operator with sudo, a firewall
   * open on {@code ports} only, Docker trusting and logged in to the team's registry, and
   * collectd reporting to the monitor.
   */
  private static Property[] everyMachine(int... ports) {
    return everyMachine(Nftables.allowingTcp(ports));
  }

  private static Property[] everyMachine(Property firewall) {
    var password = SecretRef.of("registry-password", "any");
    var tls = DockerRegistry.tls(REGISTRY_CRT, REGISTRY_KEY);
    var properties = new java.util.ArrayList<>(java.util.List.of(
        Apt.updated(),
        User.exists("ops"), User.hasSudo("ops"),
        firewall, Systemd.started("nftables"),
        Docker.running(), Docker.composeInstalled(),
        DockerRegistry.pullingFrom(REGISTRY, tls, "ci", password),
        // the monitor machine by name: the spin sends its address from hosts.yml
        Collectd.reportingToHost(Lab.PREFIX + "-monitor", RIEMANN, Duration.ofSeconds(2)).onChange(Systemd.restarted("collectd")),
        Systemd.started("collectd")));
    // the shipped Lab.java has no CA yet (gantry ca init makes it, run.sh writes it in), so
    // that `gantry host info` shows the rest of the definition before the first run
    if (!Lab.CA_PEM.isBlank()) {
      properties.add(DockerRegistry.trusting(REGISTRY, Lab.CA_PEM));
    }
    return properties.toArray(Property[]::new);
  }

  /**
   * Gantry's monitor alone ({@code gantry monitor}) from the server image: Riemann on 5555 and
   * the dashboard on 8080 of the machine's address, its rules from this definition (copied to
   * /etc/gantry/infra), its Slack webhook from the environment file the vault fills.
   */
  private static String monitorUnit() {
    return """
        [Unit]
        Description=Gantry's monitor (gantry monitor in a container)
        After=docker.service
        Requires=docker.service

        [Service]
        ExecStartPre=-/usr/bin/docker rm -f gantry-monitor
        ExecStart=/usr/bin/docker run --rm --name gantry-monitor --network host \
          --env-file /etc/gantry/monitor.env -e GANTRY_SERVER_INSECURE_HTTP=true -e GANTRY_MONITOR_INSECURE_TCP=true \
          -v gantry-monitor:/var/lib/gantry -v /etc/gantry/infra:/etc/gantry/infra:ro \
          --entrypoint /bin/gantry %s \
          monitor --bind 0.0.0.0 --tcp-port %d --udp-port %d --http-port %d --infra /etc/gantry/infra
        ExecStop=/usr/bin/docker stop gantry-monitor
        Restart=always
        RestartSec=2

        [Install]
        WantedBy=multi-user.target
        """.formatted(gantryImage("server"), RIEMANN, RIEMANN, MONITOR_HTTP);
  }

  /** As {@code Nftables.allowingTcp(tcp)}, and also {@code udp}: Gantry's own table only, Docker's chains kept. */
  private static String tcpAndUdpFirewall(int[] tcp, int udp) {
    String ports = java.util.Arrays.stream(tcp).sorted().mapToObj(Integer::toString)
        .collect(java.util.stream.Collectors.joining(", "));
    return "#!/usr/sbin/nft -f\ntable inet gantry {}\ndelete table inet gantry\n\ntable inet gantry {\n"
        + "  chain input {\n    type filter hook input priority 0; policy drop;\n"
        + "    ct state established,related accept\n    ct state invalid drop\n    iif lo accept\n"
        + "    meta l4proto { icmp, icmpv6 } accept\n"
        + "    tcp dport { " + ports + " } accept\n    udp dport " + udp + " accept\n"
        + "  }\n  chain forward {\n    type filter hook forward priority 0; policy accept;\n  }\n"
        + "  chain output {\n    type filter hook output priority 0; policy accept;\n  }\n}\n";
  }

  /** The demo's Slack: a unit running {@link #SLACK_RECEIVER} on the machine's loopback. */
  private static String slackReceiverUnit() {
    return """
        [Unit]
        Description=A local stand-in for a Slack incoming webhook (demo)

        [Service]
        ExecStart=/usr/bin/python3 /usr/local/bin/slack-receiver %d
        Restart=always

        [Install]
        WantedBy=multi-user.target
        """.formatted(SLACK_PORT);
  }

  /** Accepts what a Slack webhook accepts (a JSON POST) and appends each message, one a line, to a file. */
  static final String SLACK_RECEIVER = """
      import http.server, sys

      class Receiver(http.server.BaseHTTPRequestHandler):
          def do_POST(self):
              body = self.rfile.read(int(self.headers.get("content-length", 0)))
              with open("/var/log/slack-receiver.jsonl", "ab") as f:
                  f.write(body.replace(b"\\n", b" ") + b"\\n")
              self.send_response(200)
              self.end_headers()
              self.wfile.write(b"ok")

      http.server.HTTPServer(("127.0.0.1", int(sys.argv[1])), Receiver).serve_forever()
      """;
}
