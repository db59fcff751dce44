package dev.gantry.host.lib;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.host.property.Info;
import dev.gantry.host.property.SecretRef;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class DockerRegistryTest {
  static final SecretRef PASSWORD = SecretRef.of("registry-password", "any");

  @Test
  void theConfigurationServesTlsOnlyWhenAskedAndAlwaysAuthenticates() {
    String tls = DockerRegistry.config(5000, DockerRegistry.tls("/etc/ssl/r.crt", "/etc/ssl/private/r.key"));
    assertThat(tls).contains("http:\n  addr: :5000\n  tls:\n    certificate: /etc/ssl/r.crt\n    key: /etc/ssl/private/r.key\n"
        + "  headers:\n", "auth:\n  htpasswd:\n    realm: gantry-registry\n    path: /etc/docker/registry/htpasswd\n");
    String plain = DockerRegistry.config(5001, DockerRegistry.insecureOnPrivateNetwork());
    assertThat(plain).contains("http:\n  addr: :5001\n  headers:\n").doesNotContain("tls:").contains("htpasswd:");
  }

  @Test
  void clientCredentialsAreWhatDockerLoginWrites() {
    String config = DockerRegistry.clientConfig("10.213.1.2:5000", "ci", "s3cret");
    assertThat(config).contains("\"10.213.1.2:5000\"", "\"auth\": \"" + Base64.getEncoder().encodeToString("ci:s3cret".getBytes()) + "\"");
  }

  @Test
  void theRegistryDeclaresItsPortServiceAndSecret() {
    var p = DockerRegistry.serving(5000, DockerRegistry.insecureOnPrivateNetwork(), "ci", PASSWORD);
    assertThat(p.info()).contains(new Info.PortOpened(5000, "tcp"), new Info.ServiceMonitored("docker-registry"),
        new Info.SecretUsed(PASSWORD));
    assertThat(DockerRegistry.pullingFrom("reg:5000", DockerRegistry.insecureOnPrivateNetwork(), "ci", PASSWORD).info())
        .contains(new Info.SecretUsed(PASSWORD));
  }

  @Test
  void badInputIsNamed() {
    assertThatThrownBy(() -> DockerRegistry.serving(70000, DockerRegistry.insecureOnPrivateNetwork(), "ci", PASSWORD))
        .hasMessage("registry port 70000 is not in 1..65535");
    assertThatThrownBy(() -> DockerRegistry.tls("r.crt", "/k"))
        .hasMessage("the registry's TLS certificate must be an absolute path, not 'r.crt'");
    assertThatThrownBy(() -> DockerRegistry.pullingFrom("https://reg", DockerRegistry.insecureOnPrivateNetwork(), "ci", PASSWORD))
        .hasMessage("registry 'https://reg' must be host:port, e.g. registry1:5000");
    assertThatThrownBy(() -> DockerRegistry.trusting("reg:5000", "not a certificate"))
        .hasMessage("the CA for registry reg:5000 is not a PEM certificate");
    assertThatThrownBy(() -> DockerRegistry.serving(5000, DockerRegistry.insecureOnPrivateNetwork(), "Not A User", PASSWORD))
        .hasMessage("'Not A User' is not a valid user name");
  }
}
