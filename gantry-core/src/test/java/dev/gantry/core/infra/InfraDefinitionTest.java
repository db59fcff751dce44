package dev.gantry.core.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.core.UserError;
import dev.gantry.core.definition.DefinitionException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InfraDefinitionTest {
  @TempDir Path tmp;

  static final String INFRA = """
      import dev.gantry.core.infra.*;

      public class Infra implements InfrastructureDefinition {
        public void define(Infrastructure i) {
          i.host("web1").role("production");
          i.host("web2").tags("bad tag");
        }
      }
      """;

  @Test
  void theDefinitionIsFoundTheSameWayByEveryCommand() throws Exception {
    Path repo = Files.createDirectories(tmp.resolve("repo/infra"));
    Files.writeString(repo.resolve("Infra.java"), "");
    assertThat(InfraDefinition.source(tmp.resolve("repo"))).isEqualTo(repo);
    assertThat(InfraDefinition.source(repo)).as("the folder of sources itself").isEqualTo(repo);
    assertThat(InfraDefinition.source(repo.resolve("Infra.java"))).isEqualTo(repo.resolve("Infra.java"));
    Path empty = Files.createDirectories(tmp.resolve("empty"));
    assertThatThrownBy(() -> InfraDefinition.source(empty)).isInstanceOf(UserError.class)
        .hasMessageContaining("no infrastructure definition in " + empty)
        .hasMessageContaining("expected infra/Infra.java");
  }

  @Test
  void anExceptionInDefinePointsAtTheLineThatThrewIt() throws Exception {
    Path infra = Files.createDirectories(tmp.resolve("repo/infra"));
    Files.writeString(infra.resolve("Infra.java"), INFRA);
    assertThatThrownBy(() -> InfraDefinition.load(tmp.resolve("repo"), tmp.resolve("cache")))
        .isInstanceOf(DefinitionException.class)
        .hasMessage(infra.resolve("Infra.java") + ":6: host 'web2': tag 'bad tag' must be letters, digits, '.', '_' or '-'");
  }

  @Test
  void aCompiledDefinitionCarriesItsClassFilesForHosts() throws Exception {
    Path infra = Files.createDirectories(tmp.resolve("repo/infra"));
    Files.writeString(infra.resolve("Infra.java"), INFRA.replace("i.host(\"web2\").tags(\"bad tag\");", ""));
    InfraDefinition.Compiled c = InfraDefinition.compile(tmp.resolve("repo"), tmp.resolve("cache"));
    assertThat(c.className()).isEqualTo("Infra");
    assertThat(c.classes()).containsOnlyKeys("Infra");
    assertThat(c.infrastructure().requireHost("web1").role()).isEqualTo("production");
  }
}
