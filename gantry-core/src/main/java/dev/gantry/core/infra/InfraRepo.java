package dev.gantry.core.infra;

import dev.gantry.core.UserError;
import dev.gantry.core.process.Command;
import dev.gantry.core.process.ProcessResult;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.eclipse.jgit.api.CommitCommand;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.Status;
import org.eclipse.jgit.api.StatusCommand;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.Config;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

/**
 * The infrastructure repository: the git repository that holds the infra folder (the folder
 * given with {@code --infra}, with the definition in {@code infra/}, {@link HostsRegistry
 * hosts.yml} and the vault). Every command that commits there goes through this class, so
 * the rules are the same for all of them:
 *
 * <ul>
 *   <li><b>Where it is</b>: the repository git itself would use in the infra folder, that is
 *       the folder or the nearest one above it with a {@code .git}; the infra folder may be a
 *       subfolder of a larger repository. {@code hosts.yml} is always in the infra folder.
 *   <li><b>Who commits</b>: git's {@code user.name} and {@code user.email} as this repository
 *       sees them (its own configuration, then the user's), else the operating-system user at
 *       this machine's name; author and committer alike.
 *   <li><b>What a commit holds</b>: only the paths named, whatever else is staged or changed
 *       in the repository. After a deploy, the registry file. Before a spin, what Gantry owns
 *       in the infra folder ({@code hosts.yml}, {@code vault/}, {@code .gitignore}) and the
 *       changes to files git already tracks there; new files of the definition
 *       ({@code infra/}) only when asked; any other new file is left alone and listed. A file
 *       that looks like a private key is never committed.
 *   <li><b>Signing</b>: as git does it, when {@code commit.gpgSign} is true in the
 *       repository's configuration, by git itself (so {@code gpg.program}, {@code gpg.format},
 *       {@code user.signingKey} and the user's agent are honoured); otherwise never.
 *   <li><b>Hooks</b>: a commit before a spin runs the repository's hooks, as a commit by hand
 *       would; the registry's commit after a deploy does not, since what it records has
 *       already happened.
 * </ul>
 *
 * <p>The {@code git} command (signing, push) runs as a {@link Command}, in its own session: it
 * cannot stop to ask for a passphrase or credentials on the terminal, so a key or a remote
 * that needs one is reached through an agent or a credential helper.
 *
 * <pre>{@code
 * InfraRepo repo = InfraRepo.open(Path.of("."));
 * repo.commitRegistry(repo.readRegistry().with("prod", "production", null, "capital", entry),
 *     "deploy capital abc123f to prod", repo.who());
 * }</pre>
 */
public final class InfraRepo {
  private static final Duration GIT_TIMEOUT = Duration.ofMinutes(5);

  /** Whether a commit runs the repository's pre-commit and commit-msg hooks. */
  private enum Hooks { RUN, SKIP }

  private final Path folder;
  private final Path top;

  private InfraRepo(Path folder, Path top) {
    this.folder = folder;
    this.top = top;
  }

  /**
   * The repository holding {@code infraFolder}: the folder itself or the nearest one above it
   * with a {@code .git} (a repository, or the file git leaves in a linked worktree or a
   * submodule); empty when there is none. Only looks at the file system: git's configuration,
   * which takes a while to read, is read when needed.
   */
  public static Optional<InfraRepo> find(Path infraFolder) {
    Path folder = infraFolder.toAbsolutePath().normalize();
    for (Path p = folder; p != null; p = p.getParent()) {
      Path dotGit = p.resolve(".git");
      if (Files.isRegularFile(dotGit) || Files.isRegularFile(dotGit.resolve("HEAD"))) {
        return Optional.of(new InfraRepo(folder, p));
      }
    }
    return Optional.empty();
  }

  /** As {@link #find}, or a {@link UserError} saying what to do when the folder is in no repository. */
  public static InfraRepo open(Path infraFolder) {
    return find(infraFolder).orElseThrow(() -> new UserError("infra directory " + infraFolder.toAbsolutePath().normalize()
        + " is not in a git repository; run `git init` in it or pass --infra with the repository's folder"));
  }

  /** What Gantry writes in a new infra folder's {@code .gitignore}: keys and local state stay out of git. */
  public static final String GITIGNORE = """
      # written by gantry: private keys and local state never go into git
      keys/
      *.key
      id_rsa
      id_ecdsa
      id_ed25519
      gantry-data/
      .gantry/
      """;

  /**
   * What a commit before a spin did: one line (committed, pushed, nothing), the new files
   * left alone, and the files refused because they look like private keys.
   */
  public record Committed(String summary, List<String> leftUntracked, List<String> privateKeys) {
    public Committed {
      leftUntracked = List.copyOf(leftUntracked);
      privateKeys = List.copyOf(privateKeys);
    }

    public static Committed nothing(String why) {
      return new Committed(why, List.of(), List.of());
    }
  }

  /**
   * Before a spin: commits what Gantry owns and the tracked files' changes in the infra
   * folder (new files of the definition too when {@code withNewDefinitionFiles}), and
   * pushes to {@code origin} when there is one, so what a host runs is a recorded commit.
   * A folder in no repository is left alone.
   *
   * <pre>{@code
   * Committed c = InfraRepo.commitAndPush(Path.of("."), "gantry host spin ci.example.com", false);
   * c.leftUntracked();   // [notes.txt]
   * }</pre>
   */
  public static Committed commitAndPush(Path infraFolder, String message, boolean withNewDefinitionFiles) {
    return find(infraFolder).map(r -> r.commitPendingAndPush(message, withNewDefinitionFiles))
        .orElse(Committed.nothing(infraFolder.toAbsolutePath() + " is not a git repository: nothing committed"));
  }

  /** Writes {@link #GITIGNORE} into the infra folder unless it has a {@code .gitignore}; true when written. */
  public boolean writeGitignoreIfMissing() {
    Path f = folder.resolve(".gitignore");
    if (Files.exists(f)) {
      return false;
    }
    try {
      Files.writeString(f, GITIGNORE);
      return true;
    } catch (IOException e) {
      throw new UserError("cannot write " + f + ": " + e.getMessage());
    }
  }

  /** The infra folder. */
  public Path folder() {
    return folder;
  }

  /** The top of the repository's work tree: the infra folder or a folder above it. */
  public Path top() {
    return top;
  }

  /** {@code hosts.yml} in the infra folder. */
  public Path registryFile() {
    return folder.resolve(HostsRegistry.FILE);
  }

  /** The registry as the infra folder holds it now (empty when there is no {@code hosts.yml} yet). */
  public HostsRegistry readRegistry() {
    return HostsRegistry.read(registryFile());
  }

  /** Who commits: git's user.name and user.email in this repository, else the OS user. */
  public PersonIdent who() {
    try (Repository r = repository()) {
      return who(r.getConfig());
    } catch (IOException e) {
      throw new UserError("reading the git configuration of " + top + ": " + e.getMessage());
    }
  }

  /**
   * Writes the registry and commits that file alone, without running hooks (the deploy it
   * records has already happened, so a hook may not refuse the record). Returns the commit
   * id, or null when the file was tracked and unchanged.
   */
  public String commitRegistry(HostsRegistry registry, String message, PersonIdent who) {
    try (Repository r = repository(); Git git = new Git(r)) {
      boolean changed = registry.write(registryFile());
      String path = inRepository(registryFile());
      // the index says whether git knows the file (a status would walk the work tree, slowly when cold)
      boolean tracked = r.readDirCache().findEntry(path) >= 0;
      if (!changed && tracked) {
        return null;
      }
      return commit(r, git, List.of(path), message, who, Hooks.SKIP);
    } catch (IOException | GitAPIException e) {
      throw new UserError("committing " + HostsRegistry.FILE + " in " + top + ": " + e.getMessage());
    }
  }

  /** See {@link #commitAndPush}; hooks run, as a commit by hand would run them. */
  public Committed commitPendingAndPush(String message, boolean withNewDefinitionFiles) {
    try (Repository r = repository(); Git git = new Git(r)) {
      String path = inRepository(folder);
      StatusCommand status = git.status();
      if (!path.isEmpty()) {
        status.addPath(path);
      }
      Status st = status.call();
      Set<String> paths = new TreeSet<>();
      List<String> left = new ArrayList<>();
      List<String> keys = new ArrayList<>();
      Set<String> tracked = new TreeSet<>();
      tracked.addAll(st.getModified());
      tracked.addAll(st.getMissing());
      tracked.addAll(st.getChanged());
      tracked.addAll(st.getAdded());
      tracked.addAll(st.getRemoved());
      for (String p : tracked) {
        (PrivateKeyFiles.looksLikeOne(top.resolve(p)) ? keys : paths).add(p);
      }
      for (String p : new TreeSet<>(st.getUntracked())) {
        String inFolder = path.isEmpty() ? p : p.substring(path.length() + 1);
        if (PrivateKeyFiles.looksLikeOne(top.resolve(p))) {
          keys.add(p);
        } else if (ownedByGantry(inFolder) || withNewDefinitionFiles && inFolder.startsWith("infra/")) {
          paths.add(p);
        } else {
          left.add(p);
        }
      }
      String commit;
      if (paths.isEmpty()) {
        commit = "nothing to commit";
      } else {
        String id = commit(r, git, List.copyOf(paths), message, who(r.getConfig()), Hooks.RUN);
        commit = "committed " + id.substring(0, 10) + (signs(r.getConfig()) ? " (signed)" : "");
      }
      if (r.getConfig().getSubsections("remote").contains("origin")) {
        mustGit("push", "-q", "origin", "HEAD");
        commit += "; pushed to origin";
      }
      return new Committed(commit, left, keys);
    } catch (IOException | GitAPIException e) {
      throw new UserError("cannot commit the infrastructure repository " + top + ": " + e.getMessage());
    }
  }

  /** Files Gantry itself writes in the infra folder (path relative to it). */
  static boolean ownedByGantry(String inFolder) {
    return inFolder.equals(HostsRegistry.FILE) || inFolder.equals(".gitignore") || inFolder.startsWith("vault/");
  }

  /** Whether Gantry's commits in a repository with this configuration are signed: as git decides. */
  static boolean signs(Config config) {
    return config.getBoolean("commit", "gpgsign", false);
  }

  /** Stages {@code paths} (files, new, changed or deleted) and commits them alone; returns the commit id. */
  private String commit(Repository r, Git git, List<String> paths, String message, PersonIdent who, Hooks hooks)
      throws IOException, GitAPIException {
    for (String p : paths) {
      if (Files.exists(top.resolve(p))) {
        git.add().addFilepattern(p).call();
      } else {
        git.rm().setCached(true).addFilepattern(p).call();
      }
    }
    if (signs(r.getConfig())) {
      List<String> args = new ArrayList<>(List.of("commit", "-q", "-S", "-m", message,
          "--author=" + who.getName() + " <" + who.getEmailAddress() + ">"));
      if (hooks == Hooks.SKIP) {
        args.add("--no-verify");
      }
      // a commit naming paths holds only them (git's --only), whatever else is staged
      args.add("--");
      args.addAll(paths);
      mustGit(Command.of(gitArgv(args)).env("GIT_COMMITTER_NAME", who.getName())
          .env("GIT_COMMITTER_EMAIL", who.getEmailAddress()), args.get(0));
      return r.resolve("HEAD").name();
    }
    CommitCommand c = git.commit().setMessage(message).setAuthor(who).setCommitter(who)
        .setSign(false).setNoVerify(hooks == Hooks.SKIP);
    paths.forEach(c::setOnly);
    return c.call().getName();
  }

  private void mustGit(String... args) {
    mustGit(Command.of(gitArgv(List.of(args))), args[0]);
  }

  private void mustGit(Command git, String verb) {
    // signing may ask for the key's passphrase (pinentry) and a push for ssh's, on the terminal
    ProcessResult r = git.timeout(GIT_TIMEOUT).withTerminal().run();
    if (!r.ok()) {
      if (r.timedOut()) {
        throw new UserError("git " + verb + " in " + top + " did not finish within " + GIT_TIMEOUT.toMinutes() + " minutes");
      }
      List<String> lines = (r.stderr().isBlank() ? r.stdout() : r.stderr()).strip().lines().toList();
      throw new UserError("git " + verb + " in " + top + " failed: "
          + String.join("\n", lines.subList(Math.max(0, lines.size() - 6), lines.size())));
    }
  }

  private List<String> gitArgv(List<String> args) {
    List<String> argv = new ArrayList<>(List.of("git", "-C", top.toString()));
    argv.addAll(args);
    return argv;
  }

  private static PersonIdent who(Config c) {
    String name = c.getString("user", null, "name");
    String email = c.getString("user", null, "email");
    String os = System.getProperty("user.name", "gantry");
    return new PersonIdent(name == null ? os : name, email == null ? os + "@" + hostname() : email);
  }

  /** {@code p} as git names it in this repository: relative to the top, with slashes; "" for the top. */
  private String inRepository(Path p) {
    return top.relativize(p).toString().replace(File.separatorChar, '/');
  }

  private Repository repository() throws IOException {
    // from the work tree, JGit follows a .git file to the repository as git does
    return new FileRepositoryBuilder().setWorkTree(top.toFile()).setMustExist(true).build();
  }

  private static String hostname() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "localhost";
    }
  }
}
