package dev.gantry.host.lib;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.core.definition.DefinitionError;
import dev.gantry.host.property.Info;
import dev.gantry.host.property.PropertyFailure;
import dev.gantry.host.property.SecretRef;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GantryContainersTest {
  static final SecretRef TOKEN = SecretRef.of("agent-token", "ci");
  static final ServiceTransport PLAIN = GantryContainers.plainHttpOnPrivateNetwork();

  @Test
  void theServersUnitPublishesItsPortAndKeepsItsDataOnTheVolume() {
    String unit = GantryContainers.serverUnit("gantry/server:abc", 8080, "gantry-data", PLAIN, "/etc/gantry/server.env");
    assertThat(unit).contains("ExecStart=/usr/bin/docker run --rm --name gantry-server --env-file /etc/gantry/server.env "
        + "-p 8080:8080 -v gantry-data:/var/lib/gantry gantry/server:abc\n", "WantedBy=multi-user.target",
        "ExecStartPre=-/usr/bin/docker rm -f gantry-server");
    assertThat(GantryContainers.serverEnvironment("/var/lib/gantry/repos/app.git", PLAIN))
        .containsEntry("GANTRY_SERVER_INSECURE_HTTP", "true").containsEntry("GANTRY_CI_REPOSITORY", "/var/lib/gantry/repos/app.git");
  }

  @Test
  void overTlsTheServerGetsItsCertificateAndKeyReadOnlyAndNoPlainHttp() {
    var tls = GantryContainers.tls("/etc/ssl/ci.crt", "/etc/ssl/private/ci.key");
    assertThat(GantryContainers.serverUnit("gantry/server:abc", 443, "/srv/gantry", tls, "/etc/gantry/server.env"))
        .contains("-p 443:8080 -v /srv/gantry:/var/lib/gantry -v /etc/ssl/ci.crt:/etc/gantry/tls/server.crt:ro "
            + "-v /etc/ssl/private/ci.key:/etc/gantry/tls/server.key:ro gantry/server:abc\n");
    assertThat(GantryContainers.serverEnvironment("/r.git", tls)).containsEntry("GANTRY_SERVER_TLS_CERT", "/etc/gantry/tls/server.crt")
        .containsEntry("GANTRY_SERVER_TLS_KEY", "/etc/gantry/tls/server.key").doesNotContainKey("GANTRY_SERVER_INSECURE_HTTP");
  }

  @Test
  void theAgentsTokenIsInItsEnvironmentFileOnlyNeverOnItsCommandLine() {
    String unit = GantryContainers.agentUnit(GantryContainers.agent("gantry/agent:abc", "http://127.0.0.1:8080", TOKEN, "b1",
        "linux", "docker"), "/etc/gantry/agent-b1.env");
    assertThat(unit).contains("--env-file /etc/gantry/agent-b1.env --network host -v gantry-agent-b1:/var/lib/gantry-agent "
        + "gantry/agent:abc --server http://127.0.0.1:8080 --name b1 --capabilities linux,docker --work /var/lib/gantry-agent")
        .doesNotContain("--token");
    assertThat(GantryContainers.envFileContent(Map.of("B", "2", "A", "1"), Map.of("GANTRY_AGENT_TOKEN", "t0k3n")))
        .isEqualTo("# managed by gantry\nA=1\nB=2\nGANTRY_AGENT_TOKEN=t0k3n\n");
    assertThatThrownBy(() -> GantryContainers.envFileContent(Map.of(), Map.of("GANTRY_AGENT_TOKEN", "a\nb")))
        .isInstanceOf(PropertyFailure.class).hasMessage("the value of GANTRY_AGENT_TOKEN for a Gantry container holds a line break");
  }

  @Test
  void anAgentGetsTheHostsDockerAMountAndItsEnvironmentOnlyWhenAsked() {
    var registryPassword = SecretRef.of("registry-password", "any");
    var agent = GantryContainers.agent("gantry/agent:abc", "http://127.0.0.1:8080", TOKEN, "b1", "linux", "docker")
        .usingHostDocker().mountingReadOnly("/srv/gantry/repos", "/var/lib/gantry/repos")
        .env("REGISTRY", "ci1:5000").env("REGISTRY_PASSWORD", registryPassword);
    assertThat(GantryContainers.agentUnit(agent, "/etc/gantry/agent-b1.env"))
        .contains("--network host -v gantry-agent-b1:/var/lib/gantry-agent -v /var/run/docker.sock:/var/run/docker.sock "
            + "-v /srv/gantry/repos:/var/lib/gantry/repos:ro gantry/agent:abc --server")
        .doesNotContain("REGISTRY");
    assertThat(agent.info()).contains(new Info.SecretUsed(TOKEN), new Info.SecretUsed(registryPassword));
    assertThat(GantryContainers.agentUnit(GantryContainers.agent("gantry/agent:abc", "http://127.0.0.1:8080", TOKEN, "b1"),
        "/etc/gantry/agent-b1.env")).doesNotContain("docker.sock", ":ro");

    var b1 = GantryContainers.agent("gantry/agent:abc", "http://127.0.0.1:8080", TOKEN, "b1");
    assertThatThrownBy(() -> b1.mountingReadOnly("srv/repos", "/r")).isInstanceOf(DefinitionError.class)
        .hasMessage("agent b1's mount must be an absolute path, not 'srv/repos'");
    assertThatThrownBy(() -> b1.mountingReadOnly("/srv/a:b", "/r"))
        .hasMessage("agent b1's mount path '/srv/a:b' may hold only letters, digits, '.', '_', '-' and '/'");
    assertThatThrownBy(() -> b1.env("GANTRY_AGENT_TOKEN", "x")).hasMessage("agent b1: 'GANTRY_AGENT_TOKEN' is not a variable name it may set");
    assertThatThrownBy(() -> b1.env("A-B", "x")).hasMessage("agent b1: 'A-B' is not a variable name it may set");
    assertThatThrownBy(() -> b1.env("A", "x\ny")).hasMessage("agent b1: the value of A must be one line");
    assertThatThrownBy(() -> b1.env("A", (SecretRef) null))
        .hasMessage("agent b1: the secret for A is missing (SecretRef.of(field, context))");
  }

  @Test
  void bothDeclareTheirServiceAndSecretAndTheServerItsPort() {
    assertThat(GantryContainers.server("gantry/server:abc", 8080, "gantry-data", PLAIN, TOKEN).info())
        .contains(new Info.PortOpened(8080, "tcp"), new Info.ServiceMonitored("gantry-server"), new Info.SecretUsed(TOKEN));
    assertThat(GantryContainers.agent("gantry/agent:abc", "http://ci1:8080", TOKEN, "b1").info())
        .contains(new Info.ServiceMonitored("gantry-agent-b1"), new Info.SecretUsed(TOKEN));
  }

  @Test
  void badInputIsNamed() {
    assertThatThrownBy(() -> GantryContainers.server("Gantry Server", 8080, "gantry-data", PLAIN, TOKEN))
        .isInstanceOf(DefinitionError.class).hasMessage("'Gantry Server' is not a Docker image reference (e.g. gantry/server:1a2b3c4)");
    assertThatThrownBy(() -> GantryContainers.server("gantry/server:abc", 0, "gantry-data", PLAIN, TOKEN))
        .hasMessage("Gantry server port 0 is not in 1..65535");
    assertThatThrownBy(() -> GantryContainers.server("gantry/server:abc", 8080, "data dir", PLAIN, TOKEN))
        .hasMessage("'data dir' is neither a Docker volume name nor an absolute path");
    assertThatThrownBy(() -> GantryContainers.server("gantry/server:abc", 8080, "gantry-data", PLAIN, TOKEN, " "))
        .hasMessage("the Gantry server's CI repository must be a path or URL, not ' '");
    assertThatThrownBy(() -> GantryContainers.server("gantry/server:abc", 8080, "gantry-data", null, TOKEN))
        .hasMessage("the Gantry server's transport must be said: GantryContainers.tls(cert, key) "
            + "or GantryContainers.plainHttpOnPrivateNetwork()");
    assertThatThrownBy(() -> GantryContainers.tls("ci.crt", "/k"))
        .hasMessage("the Gantry server's TLS certificate must be an absolute path, not 'ci.crt'");
    assertThatThrownBy(() -> GantryContainers.agent("gantry/agent:abc", "ci1:8080", TOKEN, "b1"))
        .hasMessage("the agent's server 'ci1:8080' must be an http(s) URL, e.g. http://ci1:8080");
    assertThatThrownBy(() -> GantryContainers.agent("gantry/agent:abc", "http://ci1:8080", TOKEN, "B 1"))
        .hasMessage("agent name 'B 1' must be lower-case letters, digits, '.', '_' or '-'");
    assertThatThrownBy(() -> GantryContainers.agent("gantry/agent:abc", "http://ci1:8080", TOKEN, "b1", "linux,docker"))
        .hasMessage("agent capability 'linux,docker' may hold only letters, digits, '.', '_' and '-'");
  }
}
