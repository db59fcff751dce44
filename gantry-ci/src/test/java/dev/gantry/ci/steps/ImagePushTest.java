package dev.gantry.ci.steps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.ci.pipeline.PipelineBuilder;
import dev.gantry.ci.pipeline.PipelineException;
import dev.gantry.ci.pipeline.StepSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImagePushTest {
  static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";

  @Test
  void theImageIsTaggedWithTheCommitUnderTestAndBuiltFromTheWorkspace() {
    ImagePush image = ImagePush.to("registry1:5000", "capital/app").dockerfile("docker/Dockerfile").context("app");
    String ref = image.reference(COMMIT);
    assertThat(ref).isEqualTo("registry1:5000/capital/app:" + COMMIT);
    assertThat(image.build(ref)).containsExactly("docker", "build", "--tag", ref, "--file", "docker/Dockerfile", "app");
  }

  @Test
  void aPipelineDeclaresItAsAJavaStepForAnAgentWithDocker() {
    PipelineBuilder p = new PipelineBuilder();
    var test = p.step("test").run("true");
    ImageSteps.buildAndPush(p, "image", ImagePush.to("registry1:5000", "capital/app")).after(test);
    StepSpec spec = p.build().steps().stream().filter(s -> s.name().equals("image")).findFirst().orElseThrow();
    assertThat(spec.javaAction()).isTrue();
    assertThat(spec.requires()).containsExactly("docker");
    assertThat(spec.after()).containsExactly("test");
    assertThat(p.action("image")).isPresent();
  }

  @Test
  void credentialsComeFromTheAgentsEnvironmentOrAFileAndNeverShow(@TempDir Path dir) throws Exception {
    var fromEnv = RegistryLogin.fromEnv("REG_USER", "REG_PASSWORD").resolve(Map.of("REG_USER", "ci", "REG_PASSWORD", "s3cret"));
    assertThat(fromEnv).hasValueSatisfying(c -> {
      assertThat(c.user()).isEqualTo("ci");
      assertThat(c.password()).isEqualTo("s3cret");
      assertThat(c.toString()).doesNotContain("s3cret");
    });
    Path file = Files.writeString(dir.resolve("pw"), "from-file\nignored\n");
    assertThat(RegistryLogin.fromFile("ci", file.toString()).resolve(Map.of()))
        .hasValueSatisfying(c -> assertThat(c.password()).isEqualTo("from-file"));
    assertThat(RegistryLogin.agentsOwn().resolve(Map.of())).isEmpty();
  }

  @Test
  void badInputIsNamed(@TempDir Path dir) throws Exception {
    assertThatThrownBy(() -> ImagePush.to("https://registry1", "app")).isInstanceOf(PipelineException.class)
        .hasMessage("registry 'https://registry1' must be host or host:port, e.g. registry1:5000");
    assertThatThrownBy(() -> ImagePush.to("registry1:5000", "Capital/App"))
        .hasMessage("image name 'Capital/App' must be lower-case path components, e.g. capital/app");
    assertThatThrownBy(() -> ImagePush.to("registry1:5000", "app").dockerfile("../Dockerfile"))
        .hasMessage("the Dockerfile '../Dockerfile' must be a path inside the workspace");
    assertThatThrownBy(() -> ImagePush.to("registry1:5000", "app").context("/srv"))
        .hasMessage("the build context '/srv' must be a path inside the workspace");
    assertThatThrownBy(() -> ImagePush.to("registry1:5000", "app").login(null))
        .hasMessage("image app: the registry login is missing (RegistryLogin.agentsOwn() for none)");
    assertThatThrownBy(() -> ImagePush.to("registry1:5000", "app").reference(null))
        .hasMessage("image app is tagged with the commit under test, but GANTRY_COMMIT is 'null'");
    assertThatThrownBy(() -> ImagePush.to("registry1:5000", "app").reference("main; rm -rf /"))
        .hasMessage("image app is tagged with the commit under test, but GANTRY_COMMIT is 'main; rm -rf /'");
    assertThatThrownBy(() -> RegistryLogin.fromEnv("REG USER", "P"))
        .hasMessage("'REG USER' is not an environment variable name");
    assertThatThrownBy(() -> RegistryLogin.fromEnv("U", "P").resolve(Map.of("U", "ci")))
        .hasMessage("the registry login needs the environment variable P on the agent; it is not set");
    assertThatThrownBy(() -> RegistryLogin.fromFile("ci", "pw.txt"))
        .hasMessage("the registry password file must be an absolute path on the agent, not 'pw.txt'");
    assertThatThrownBy(() -> RegistryLogin.fromFile("c i", "/pw"))
        .hasMessage("registry user 'c i' may hold only letters, digits, '.', '_', '@' and '-'");
    Path empty = Files.writeString(dir.resolve("empty"), "");
    assertThatThrownBy(() -> RegistryLogin.fromFile("ci", empty.toString()).resolve(Map.of()))
        .hasMessage("the registry password file " + empty + " is empty");
    assertThatThrownBy(() -> RegistryLogin.fromFile("ci", dir.resolve("missing").toString()).resolve(Map.of()))
        .hasMessage("cannot read the registry password file " + dir.resolve("missing") + ": NoSuchFileException");
  }
}
