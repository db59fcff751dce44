package dev.gantry.deploy.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.core.UserError;
import dev.gantry.core.infra.HostsRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.lib.PersonIdent;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The registry is committed alone, as the git command line sees it afterwards. */
class InfraRepoTest {
  @TempDir Path dir;
  private final PersonIdent who = new PersonIdent("Ops", "ops@example.test");

  @BeforeEach
  void init() throws Exception {
    git("init", "-q");
  }

  @Test
  void theFirstCommitOfANewRepositoryHoldsTheRegistry() throws Exception {
    String id = InfraRepo.open(dir).commitRegistry(registry("A", 1), "deploy shop A to web1", who);

    assertThat(id).isEqualTo(git("rev-parse", "HEAD").strip());
    assertThat(git("show", "-s", "--format=%an <%ae>|%s", "HEAD").strip()).isEqualTo("Ops <ops@example.test>|deploy shop A to web1");
    assertThat(git("show", "HEAD:hosts.yml")).contains("release: A");
    assertThat(git("status", "--porcelain")).isEmpty();
  }

  @Test
  void onlyTheRegistryIsCommittedWhateverElseIsStagedOrChanged() throws Exception {
    Files.writeString(dir.resolve("Infra.java"), "class Infra {}\n");
    git("add", "Infra.java");
    git("-c", "user.name=x", "-c", "user.email=x@x", "commit", "-q", "-m", "definition");
    Files.writeString(dir.resolve("Infra.java"), "class Infra { int staged; }\n");
    git("add", "Infra.java");
    Files.writeString(dir.resolve("notes.txt"), "untracked\n");

    InfraRepo.open(dir).commitRegistry(registry("A", 1), "deploy shop A", who);
    InfraRepo.open(dir).commitRegistry(registry("B", 2), "deploy shop B", who);

    assertThat(git("show", "--name-only", "--format=", "HEAD").strip()).isEqualTo("hosts.yml");
    assertThat(git("show", "HEAD:hosts.yml")).contains("release: B");
    assertThat(git("show", "HEAD:Infra.java")).isEqualTo("class Infra {}\n");
    assertThat(git("status", "--porcelain").lines().toList()).containsExactlyInAnyOrder("M  Infra.java", "?? notes.txt");
  }

  @Test
  void anUnchangedTrackedRegistryMakesNoCommit() throws Exception {
    InfraRepo repo = InfraRepo.open(dir);
    repo.commitRegistry(registry("A", 1), "deploy shop A", who);
    String head = git("rev-parse", "HEAD");

    assertThat(repo.commitRegistry(registry("A", 1), "deploy shop A again", who)).isNull();
    assertThat(git("rev-parse", "HEAD")).isEqualTo(head);
  }

  @Test
  void anUntrackedRegistryIsCommittedEvenWhenItsTextIsAlreadyThere() throws Exception {
    registry("A", 1).write(dir.resolve(HostsRegistry.FILE));

    assertThat(InfraRepo.open(dir).commitRegistry(registry("A", 1), "deploy shop A", who)).isNotNull();
    assertThat(git("ls-files")).isEqualTo("hosts.yml\n");
  }

  @Test
  void aFolderThatIsNotTheTopOfARepositoryIsRefusedWithWhatToDo() throws Exception {
    Path sub = Files.createDirectories(dir.resolve("sub"));
    assertThatThrownBy(() -> InfraRepo.open(sub)).isInstanceOf(UserError.class)
        .hasMessageContaining(sub.toString()).hasMessageContaining("git init");
  }

  private static HostsRegistry registry(String release, long seq) {
    return new HostsRegistry(Map.of()).with("web1", "production", "10.0.0.2", "shop",
        new HostsRegistry.SystemEntry(release, Map.of("app", release), "compose", "2026-12-02T00:00:00Z", "ops", seq, null));
  }

  private String git(String... args) throws Exception {
    List<String> argv = new java.util.ArrayList<>(List.of("git", "-C", dir.toString()));
    argv.addAll(List.of(args));
    Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as("git %s: %s", String.join(" ", args), out).isZero();
    return out;
  }
}
