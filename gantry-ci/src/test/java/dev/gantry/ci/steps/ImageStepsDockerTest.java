package dev.gantry.ci.steps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.core.process.Command;
import dev.gantry.core.process.CommandFailed;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The image step against this machine's Docker: a build that fails fails the step before any
 * push; a build that passes is tagged with the commit, and a push the registry refuses fails
 * the step too. Pushing into a real registry is shown on a lab machine (gantry-cloud's
 * {@code LabImageStepTest}).
 */
@Tag("integration")
class ImageStepsDockerTest {
  static final String COMMIT = "feedc0de00000000000000000000000000000001";

  @TempDir Path workspace;
  final List<String> log = java.util.Collections.synchronizedList(new ArrayList<>());

  @Test
  void aFailingBuildFailsTheStepAndPushesNothing() throws Exception {
    Files.writeString(workspace.resolve("Dockerfile"), "FROM scratch\nCOPY missing-file /\n");
    ImagePush image = ImagePush.to("127.0.0.1:1", "gantry-test/failing");
    assertThatThrownBy(() -> step(image))
        .isInstanceOf(CommandFailed.class).hasMessageStartingWith("building image 127.0.0.1:1/gantry-test/failing:" + COMMIT + " failed");
    assertThat(log).noneMatch(l -> l.startsWith("[image] pushing"));
  }

  @Test
  void aPassingBuildIsTaggedWithTheCommitAndARefusedPushFailsTheStep() throws Exception {
    Files.writeString(workspace.resolve("Dockerfile"), "FROM scratch\nCOPY hello.txt /\n");
    Files.writeString(workspace.resolve("hello.txt"), "hello\n");
    String ref = "127.0.0.1:1/gantry-test/passing:" + COMMIT;
    try {
      assertThatThrownBy(() -> step(ImagePush.to("127.0.0.1:1", "gantry-test/passing")))
          .isInstanceOf(CommandFailed.class).hasMessageStartingWith("pushing image " + ref + " failed");
      assertThat(Command.of("docker", "image", "inspect", "--format", "{{.Id}}", ref).timeout(Duration.ofSeconds(30)).run().ok())
          .as("the image tagged with the commit").isTrue();
      assertThat(log).contains("[image] building " + ref + " from Dockerfile", "[image] pushing " + ref);
    } finally {
      Command.of("docker", "rmi", "-f", ref).timeout(Duration.ofSeconds(30)).run();
    }
  }

  private void step(ImagePush image) throws Exception {
    Map<String, String> env = new HashMap<>(System.getenv());
    env.put("GANTRY_COMMIT", COMMIT);
    ImageSteps.buildAndPush(image, workspace, env, log::add);
  }
}
