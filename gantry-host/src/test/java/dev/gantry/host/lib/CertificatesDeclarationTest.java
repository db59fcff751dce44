package dev.gantry.host.lib;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.core.definition.DefinitionError;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Mistakes in declaring an issued certificate, refused with the certificate's name. */
class CertificatesDeclarationTest {
  @Test
  void aServerWithoutNamesRelativePathsOneFileAndBadNamesAreRefused() {
    assertThatThrownBy(() -> Certificates.server("ci", "/etc/tls/ci.crt", "/etc/tls/ci.key"))
        .isInstanceOf(DefinitionError.class).hasMessageStartingWith("certificate 'ci': a server certificate needs the names");
    assertThatThrownBy(() -> Certificates.client("agent", "tls/agent.crt", "/etc/tls/agent.key"))
        .isInstanceOf(DefinitionError.class).hasMessage("certificate 'agent': 'tls/agent.crt' is not an absolute path");
    assertThatThrownBy(() -> Certificates.client("agent", "/etc/tls/agent.pem", "/etc/tls/agent.pem"))
        .isInstanceOf(DefinitionError.class).hasMessageContaining("the certificate and its key need two files");
    assertThatThrownBy(() -> Certificates.server("ci", "/etc/tls/ci.crt", "/etc/tls/ci.key", "not a name"))
        .isInstanceOf(DefinitionError.class).hasMessage("certificate 'ci': 'not a name' is not a DNS name");
    assertThatThrownBy(() -> Certificates.client("bad name", "/etc/tls/a.crt", "/etc/tls/a.key"))
        .isInstanceOf(DefinitionError.class).hasMessageContaining("invalid certificate name 'bad name'");
  }

  @Test
  void aRenewalTimeAsLongAsTheValidityIsRefused() {
    assertThatThrownBy(() -> Certificates.client("agent", "/etc/tls/a.crt", "/etc/tls/a.key").validFor(Duration.ofDays(20)))
        .isInstanceOf(DefinitionError.class)
        .hasMessage("certificate 'agent': renewBefore (30 days) must be 0 or more and shorter than the validity "
            + "(20 days), or it is renewed at every spin");
  }
}
