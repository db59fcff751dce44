package dev.gantry.host.spin;

import dev.gantry.core.UserError;
import dev.gantry.host.target.CommandResult;
import dev.gantry.host.target.Exec;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.Status;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

/**
 * The infrastructure repository before a spin: pending changes are committed (signed with
 * the OpenPGP key git is configured with, when {@code commit.gpgSign} or
 * {@code user.signingKey} is set) and pushed to {@code origin} when there is one, so what a
 * host runs is always a recorded commit.
 *
 * <pre>{@code
 * String what = InfraRepo.commitAndPush(Path.of("."), "gantry spin ci.example.com");
 * }</pre>
 */
public final class InfraRepo {
  private InfraRepo() {}

  /** Commits and pushes; returns one line saying what happened. */
  public static String commitAndPush(Path dir, String message) {
    FileRepositoryBuilder b = new FileRepositoryBuilder().findGitDir(dir.toAbsolutePath().toFile());
    if (b.getGitDir() == null) {
      return dir.toAbsolutePath() + " is not a git repository: nothing committed";
    }
    try (Repository repo = b.build(); Git git = new Git(repo)) {
      Path top = repo.getWorkTree().toPath();
      Status st = git.status().call();
      String commit;
      if (st.isClean()) {
        commit = "nothing to commit";
      } else {
        git.add().addFilepattern(".").call();
        git.add().setUpdate(true).addFilepattern(".").call();
        boolean sign = repo.getConfig().getBoolean("commit", "gpgsign", false)
            || repo.getConfig().getString("user", null, "signingkey") != null;
        if (sign) {
          // git's own signing honours gpg.program, gpg.format and the user's agent
          mustGit(top, "commit", "-q", "-S", "-m", message);
          commit = "committed " + head(repo) + " (signed)";
        } else {
          RevCommit c = git.commit().setMessage(message).setSign(false).call();
          commit = "committed " + c.abbreviate(10).name();
        }
      }
      if (repo.getConfig().getSubsections("remote").contains("origin")) {
        mustGit(top, "push", "-q", "origin", "HEAD");
        return commit + "; pushed to origin";
      }
      return commit;
    } catch (IOException | GitAPIException e) {
      throw new UserError("cannot commit the infrastructure repository " + dir + ": " + e.getMessage());
    }
  }

  private static String head(Repository repo) throws IOException {
    return repo.resolve("HEAD").abbreviate(10).name();
  }

  private static void mustGit(Path dir, String... args) {
    List<String> cmd = new java.util.ArrayList<>(List.of("git", "-C", dir.toString()));
    cmd.addAll(List.of(args));
    CommandResult r = Exec.run(cmd, null, Duration.ofMinutes(5), null, Map.of());
    if (!r.ok()) {
      throw new UserError("git " + args[0] + " in " + dir + " failed: " + r.errorTail());
    }
  }
}
