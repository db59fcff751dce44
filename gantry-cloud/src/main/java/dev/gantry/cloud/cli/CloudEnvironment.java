package dev.gantry.cloud.cli;

import dev.gantry.cloud.digitalocean.TokenSource;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * What the {@code gantry cloud} commands need from outside: the environment, the definition
 * loader, the vault (for the API token), and the terminal.
 *
 * <pre>{@code
 * new CommandLine(new CloudCommand(CloudEnvironment.system(vault::lookup))).execute(args);
 * }</pre>
 */
public record CloudEnvironment(Map<String, String> env, InfraLoader loader, TokenSource.SecretLookup vault,
    PrintStream out, PrintStream err, BufferedReader in) {

  /** The process's own environment and terminal; definitions compiled, the token looked up in {@code vault}. */
  public static CloudEnvironment system(TokenSource.SecretLookup vault) {
    return new CloudEnvironment(System.getenv(), InfraLoader.compiling(), vault, System.out, System.err,
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)));
  }
}
