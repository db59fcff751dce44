package dev.gantry.deploy.registry;

import dev.gantry.core.UserError;
import dev.gantry.core.infra.HostsRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.StoredConfig;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

/**
 * The infrastructure git repository: where the hosts registry lives and is committed. Only
 * the registry file is committed, whatever else is staged or changed.
 *
 * <pre>{@code
 * InfraRepo repo = InfraRepo.open(Path.of("."));
 * repo.commitRegistry(registry, "deploy capital abc123f to prod", repo.who());
 * }</pre>
 */
public final class InfraRepo {
  private final Path workTree;

  private InfraRepo(Path workTree) {
    this.workTree = workTree;
  }

  /** Opens the repository whose work tree is {@code dir}, or fails saying it is none. */
  public static InfraRepo open(Path dir) {
    Path abs = dir.toAbsolutePath().normalize();
    if (!Files.isDirectory(abs.resolve(".git"))) {
      throw new UserError("infra directory " + abs + " is not the top of a git repository (no .git there); "
          + "run `git init` in it or pass --infra with the repository's folder");
    }
    return new InfraRepo(abs);
  }

  public Path workTree() {
    return workTree;
  }

  public Path registryFile() {
    return workTree.resolve(HostsRegistry.FILE);
  }

  public HostsRegistry readRegistry() {
    return HostsRegistry.read(registryFile());
  }

  /** Who is deploying: git's user.name and user.email in this repository, else the OS user. */
  public PersonIdent who() {
    try (Repository r = repository()) {
      StoredConfig c = r.getConfig();
      String name = c.getString("user", null, "name");
      String email = c.getString("user", null, "email");
      String os = System.getProperty("user.name", "gantry");
      return new PersonIdent(name == null ? os : name, email == null ? os + "@" + hostname() : email);
    } catch (IOException e) {
      throw new UserError("reading git config of " + workTree + ": " + e.getMessage());
    }
  }

  /** Writes the registry and commits it alone; returns the commit id, or null when nothing changed. */
  public String commitRegistry(HostsRegistry registry, String message, PersonIdent who) {
    try (Repository r = repository(); Git git = new Git(r)) {
      boolean changed = registry.write(registryFile());
      // the index says whether git knows the file (a status would walk the work tree, slowly when cold)
      boolean tracked = r.readDirCache().findEntry(HostsRegistry.FILE) >= 0;
      if (!changed && tracked) {
        return null;
      }
      git.add().addFilepattern(HostsRegistry.FILE).call();
      RevCommit c = git.commit().setOnly(HostsRegistry.FILE).setMessage(message)
          .setAuthor(who).setCommitter(who).setSign(false).setNoVerify(true).call();
      return c.getName();
    } catch (IOException | GitAPIException e) {
      throw new UserError("committing " + HostsRegistry.FILE + " in " + workTree + ": " + e.getMessage());
    }
  }

  private Repository repository() throws IOException {
    return new FileRepositoryBuilder().setWorkTree(workTree.toFile()).setGitDir(workTree.resolve(".git").toFile())
        .setMustExist(true).build();
  }

  private static String hostname() {
    try {
      return java.net.InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "localhost";
    }
  }
}
