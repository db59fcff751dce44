package dev.gantry.host.cli;

import dev.gantry.core.UserError;
import dev.gantry.core.infra.HostSpec;
import dev.gantry.core.infra.InfraDefinition;
import dev.gantry.core.infra.Infrastructure;
import dev.gantry.core.json.Json;
import dev.gantry.host.apply.HostModel;
import dev.gantry.host.property.SecretRef;
import dev.gantry.host.spin.Spinner;
import dev.gantry.host.vault.Decryptor;
import dev.gantry.host.vault.GpgDecryptor;
import dev.gantry.host.vault.KeyFileDecryptor;
import dev.gantry.host.vault.Keyring;
import dev.gantry.host.vault.Vault;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/**
 * {@code gantry vault}: secrets of the infrastructure repository, one OpenPGP file per
 * field and context, encrypted to every key of {@code vault/keyring.asc}.
 *
 * <pre>{@code
 * printf 's3cret' | gantry vault set db-password prod.example.com
 * gantry vault list
 * }</pre>
 */
@Command(name = "vault", mixinStandardHelpOptions = true,
    subcommands = {VaultCommand.Set.class, VaultCommand.Get.class, VaultCommand.Edit.class, VaultCommand.ListCmd.class,
        VaultCommand.AddKey.class, VaultCommand.RemoveKey.class},
    description = "Secrets for host properties, encrypted in the infrastructure repository.")
public final class VaultCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--infra", paramLabel = "DIR", defaultValue = ".", scope = CommandLine.ScopeType.INHERIT,
      description = "The infrastructure repository (holds vault/ and infra/).")
  Path infra;

  @Option(names = "--secret-key", paramLabel = "FILE", scope = CommandLine.ScopeType.INHERIT,
      description = "Exported OpenPGP secret key to decrypt with (passphrase in GANTRY_VAULT_PASSPHRASE); default: gpg.")
  Path secretKey;

  private final InputStream stdin;

  public VaultCommand() {
    this(System.in);
  }

  /** With another standard input (for embedding and tests). */
  public VaultCommand(InputStream stdin) {
    this.stdin = stdin;
  }

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return 2;
  }

  /** The decryptor for {@code --secret-key FILE}, or gpg. */
  public static Decryptor decryptor(Path secretKey) {
    if (secretKey != null) {
      return KeyFileDecryptor.read(secretKey, System.getenv("GANTRY_VAULT_PASSPHRASE"));
    }
    return new GpgDecryptor();
  }

  Vault vault() {
    return Vault.open(infra);
  }

  abstract static class Sub implements Callable<Integer> {
    @ParentCommand
    VaultCommand parent;
    @Spec
    CommandSpec spec;

    PrintWriter out() {
      return spec.commandLine().getOut();
    }

    @Override
    public final Integer call() {
      try {
        int code = run();
        out().flush();
        return code;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    abstract int run() throws IOException;
  }

  @Command(name = "set", mixinStandardHelpOptions = true,
      description = "Store a secret read from standard input (exact bytes; use printf to avoid a newline).")
  static final class Set extends Sub {
    @Parameters(index = "0", paramLabel = "FIELD")
    String field;
    @Parameters(index = "1", paramLabel = "CONTEXT", description = "A host name, a domain, or 'any'.")
    String context;

    @Override
    int run() throws IOException {
      SecretRef ref = SecretRef.of(field, context);
      byte[] value = parent.stdin.readAllBytes();
      parent.vault().set(ref, value);
      out().println("stored " + ref.field() + " for " + ref.context() + " (" + value.length + " bytes) in "
          + parent.vault().file(ref));
      return 0;
    }
  }

  @Command(name = "get", mixinStandardHelpOptions = true, description = "Print a secret.")
  static final class Get extends Sub {
    @Parameters(index = "0", paramLabel = "FIELD")
    String field;
    @Parameters(index = "1", paramLabel = "CONTEXT")
    String context;

    @Override
    int run() {
      byte[] v = parent.vault().get(SecretRef.of(field, context), decryptor(parent.secretKey));
      out().print(new String(v, java.nio.charset.StandardCharsets.UTF_8));
      return 0;
    }
  }

  @Command(name = "edit", mixinStandardHelpOptions = true,
      description = "Edit a secret (new or existing) in $VISUAL/$EDITOR; the plaintext lives in a private temporary"
          + " file removed afterwards.")
  static final class Edit extends Sub {
    @Parameters(index = "0", paramLabel = "FIELD")
    String field;
    @Parameters(index = "1", paramLabel = "CONTEXT")
    String context;
    @Option(names = "--editor", paramLabel = "COMMAND", description = "Editor command (default $VISUAL, $EDITOR, vi).")
    String editor;

    @Override
    int run() throws IOException {
      SecretRef ref = SecretRef.of(field, context);
      Vault v = parent.vault();
      byte[] old = v.has(ref) ? v.get(ref, decryptor(parent.secretKey)) : new byte[0];
      Path dir = Files.isDirectory(Path.of("/dev/shm")) ? Path.of("/dev/shm") : null;
      Path tmp = dir == null
          ? Files.createTempFile("gantry-vault-", ".txt", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))
          : Files.createTempFile(dir, "gantry-vault-", ".txt", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      try {
        Files.write(tmp, old);
        String cmd = editor != null ? editor : firstNonBlank(System.getenv("VISUAL"), System.getenv("EDITOR"), "vi");
        List<String> argv = new ArrayList<>(Arrays.asList(cmd.trim().split("\\s+")));
        argv.add(tmp.toString());
        int code = new ProcessBuilder(argv).inheritIO().start().waitFor();
        if (code != 0) {
          throw new UserError("the editor (" + cmd + ") exited with status " + code + "; the secret is unchanged");
        }
        byte[] now = Files.readAllBytes(tmp);
        if (Arrays.equals(now, old) && v.has(ref)) {
          out().println("unchanged: " + ref.field() + " for " + ref.context());
          return 0;
        }
        v.set(ref, now);
        out().println("stored " + ref.field() + " for " + ref.context());
        return 0;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new UserError("interrupted while editing");
      } finally {
        if (Files.exists(tmp)) {
          Files.write(tmp, new byte[(int) Math.max(Files.size(tmp), old.length)]);
        }
        Files.deleteIfExists(tmp);
      }
    }

    private static String firstNonBlank(String... s) {
      return Arrays.stream(s).filter(x -> x != null && !x.isBlank()).findFirst().orElse("vi");
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true,
      description = "Entries and the hosts that use them; secrets the definition uses but the vault lacks.")
  static final class ListCmd extends Sub {
    @Option(names = "--json", description = "Print as JSON.")
    boolean json;

    @Override
    int run() throws IOException {
      Vault v = parent.vault();
      Map<SecretRef, java.util.Set<String>> users = new TreeMap<>(
          java.util.Comparator.comparing(SecretRef::context).thenComparing(SecretRef::field));
      for (SecretRef r : v.entries()) {
        users.put(r, new TreeSet<>());
      }
      boolean haveDefinition = Files.isDirectory(parent.infra.resolve("infra"));
      if (haveDefinition) {
        Infrastructure infra = InfraDefinition.load(parent.infra);
        for (HostSpec h : infra.hosts()) {
          for (SecretRef s : HostModel.of(h).secrets()) {
            users.computeIfAbsent(s, k -> new TreeSet<>()).add(h.name());
          }
        }
      }
      List<Row> rows = new ArrayList<>();
      int missing = 0;
      for (var e : users.entrySet()) {
        boolean present = v.has(e.getKey());
        missing += present ? 0 : 1;
        rows.add(new Row(e.getKey().field(), e.getKey().context(),
            present ? (e.getValue().isEmpty() && haveDefinition ? "unused" : "present") : "missing",
            List.copyOf(e.getValue()), present ? null : e.getKey().setCommand()));
      }
      if (json) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("entries", rows);
        doc.put("keys", v.keyring().rings().stream().map(Keyring::describe).toList());
        out().println(Json.mapper().writeValueAsString(doc));
        return missing > 0 ? 1 : 0;
      }
      if (rows.isEmpty()) {
        out().println("the vault is empty");
      }
      for (Row row : rows) {
        out().printf("%-8s %-24s %-28s %s%s%n", row.status(), row.field(), row.context(), String.join(",", row.hosts()),
            row.set() != null ? "   -> " + row.set() : "");
      }
      out().println("keys: " + v.keyring().describeAll());
      return missing > 0 ? 1 : 0;
    }

    /** One line of the listing. */
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
    record Row(String field, String context, String status, List<String> hosts, String set) {}
  }

  @Command(name = "add-key", mixinStandardHelpOptions = true,
      description = "Add OpenPGP public keys (armored, from FILE or - for stdin) and re-encrypt every entry for them.")
  static final class AddKey extends Sub {
    @Parameters(index = "0", paramLabel = "FILE")
    String file;

    @Override
    int run() throws IOException {
      List<PGPPublicKeyRing> keys;
      if (file.equals("-")) {
        keys = Keyring.parse(parent.stdin, "standard input");
      } else {
        Path p = Path.of(file);
        if (!Files.isRegularFile(p)) {
          throw new UserError("no such key file: " + file);
        }
        try (InputStream in = Files.newInputStream(p)) {
          keys = Keyring.parse(in, file);
        }
      }
      Vault v = parent.vault();
      v.addKeys(keys, v.entries().isEmpty() ? (m, w) -> { throw new IllegalStateException(); }
          : decryptor(parent.secretKey));
      for (PGPPublicKeyRing k : keys) {
        out().println("added " + Keyring.describe(k));
      }
      out().println("re-encrypted " + v.entries().size() + " entries for " + v.keyring().rings().size() + " keys");
      return 0;
    }
  }

  @Command(name = "remove-key", mixinStandardHelpOptions = true,
      description = "Remove a key (fingerprint, key id, or e-mail) and re-encrypt every entry without it.")
  static final class RemoveKey extends Sub {
    @Parameters(index = "0", paramLabel = "KEY")
    String key;

    @Override
    int run() {
      Vault v = parent.vault();
      PGPPublicKeyRing removed = v.removeKey(key, decryptor(parent.secretKey));
      out().println("removed " + Keyring.describe(removed) + "; re-encrypted " + v.entries().size() + " entries for "
          + v.keyring().rings().size() + " keys");
      if (!v.entries().isEmpty()) {
        // re-encryption protects only what is written from now on: git keeps the old files
        out().println("The removed key still decrypts every earlier version of these entries, in git's history and"
            + " in any clone. Rotate each secret (issue a new value where it is used, then store it):");
        v.entries().stream().map(SecretRef::setCommand).sorted().forEach(c -> out().println("  " + c));
      }
      return 0;
    }
  }
}
