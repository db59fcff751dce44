package dev.gantry.cloud.cli;

import dev.gantry.cloud.digitalocean.model.SshKey;
import dev.gantry.core.UserError;
import dev.gantry.core.cli.Table;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code gantry cloud keys}: the account's SSH keys; {@code keys add NAME FILE}, {@code keys delete ID}. */
@Command(name = "keys", mixinStandardHelpOptions = true, description = "List the account's SSH keys.",
    subcommands = {KeysCommand.Add.class, KeysCommand.Delete.class})
final class KeysCommand implements Callable<Integer> {
  @ParentCommand CloudCommand cloud;

  @Option(names = "--json", description = "Print JSON instead of a table.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    List<SshKey> keys = cloud.digitalOcean().sshKeys().list();
    if (json) {
      cloud.environment().out().println(CloudCommand.json().writeValueAsString(keys));
      return 0;
    }
    Table t = new Table("ID", "NAME", "FINGERPRINT");
    keys.forEach(k -> t.row(k.id(), k.name(), k.fingerprint()));
    cloud.environment().out().print(t.render());
    return 0;
  }

  /** Adds a public key file to the account. */
  @Command(name = "add", mixinStandardHelpOptions = true, description = "Add a public key (e.g. ~/.ssh/id_ed25519.pub).")
  static final class Add implements Callable<Integer> {
    @ParentCommand KeysCommand keys;

    @Parameters(index = "0", paramLabel = "NAME") String name;

    @Parameters(index = "1", paramLabel = "FILE") Path file;

    @Override
    public Integer call() throws IOException {
      if (!Files.isRegularFile(file)) {
        throw new UserError("keys add: " + file + " is not a file");
      }
      SshKey k = keys.cloud.digitalOcean().sshKeys().create(name, Files.readString(file));
      keys.cloud.environment().out().println("added " + k.name() + " (id " + k.id() + ", " + k.fingerprint() + ")");
      return 0;
    }
  }

  /** Removes a key by id or fingerprint. */
  @Command(name = "delete", mixinStandardHelpOptions = true, description = "Remove a key by id or fingerprint.")
  static final class Delete implements Callable<Integer> {
    @ParentCommand KeysCommand keys;

    @Parameters(paramLabel = "ID_OR_FINGERPRINT") String key;

    @Override
    public Integer call() {
      keys.cloud.digitalOcean().sshKeys().delete(key);
      keys.cloud.environment().out().println("deleted " + key);
      return 0;
    }
  }
}
