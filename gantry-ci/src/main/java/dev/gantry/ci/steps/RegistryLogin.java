package dev.gantry.ci.steps;

import dev.gantry.ci.pipeline.PipelineException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Where an image step finds the credentials of its registry on the agent: nowhere (the agent's
 * Docker is already logged in, or the registry is open), two environment variables of the
 * agent, or a user name and a password file on the agent. The password reaches
 * {@code docker login} on its standard input only, and is never logged.
 *
 * <pre>{@code
 * RegistryLogin.fromEnv("REGISTRY_USER", "REGISTRY_PASSWORD")
 * RegistryLogin.fromFile("ci", "/etc/gantry/registry-password")
 * }</pre>
 */
public sealed interface RegistryLogin permits RegistryLogin.AgentsOwn, RegistryLogin.FromEnv, RegistryLogin.FromFile {

  /** No login by the step: the agent's Docker configuration is used as it is. */
  record AgentsOwn() implements RegistryLogin {}

  /** The user and password are in these environment variables of the agent. */
  record FromEnv(String userVariable, String passwordVariable) implements RegistryLogin {
    public FromEnv {
      requireVariable(userVariable);
      requireVariable(passwordVariable);
    }
  }

  /** The user is given; the password is the first line of a file on the agent. */
  record FromFile(String user, Path passwordFile) implements RegistryLogin {
    public FromFile {
      if (user == null || !user.matches("[A-Za-z0-9._@-]+")) {
        throw new PipelineException("registry user '" + user + "' may hold only letters, digits, '.', '_', '@' and '-'");
      }
      if (passwordFile == null || !passwordFile.isAbsolute()) {
        throw new PipelineException("the registry password file must be an absolute path on the agent, not '" + passwordFile + "'");
      }
    }
  }

  /** A user and password to log in with; {@link #toString()} never shows the password. */
  record Credentials(String user, String password) {
    @Override
    public String toString() {
      return "Credentials[user=" + user + ", password not shown]";
    }
  }

  static RegistryLogin agentsOwn() {
    return new AgentsOwn();
  }

  static RegistryLogin fromEnv(String userVariable, String passwordVariable) {
    return new FromEnv(userVariable, passwordVariable);
  }

  static RegistryLogin fromFile(String user, String passwordFile) {
    return new FromFile(user, passwordFile == null ? null : Path.of(passwordFile));
  }

  /** The credentials in the step's environment {@code env}, or none for {@link AgentsOwn}; missing ones are an error naming where they were looked for. */
  default Optional<Credentials> resolve(Map<String, String> env) {
    return switch (this) {
      case AgentsOwn a -> Optional.empty();
      case FromEnv e -> Optional.of(new Credentials(variable(env, e.userVariable()), variable(env, e.passwordVariable())));
      case FromFile f -> Optional.of(new Credentials(f.user(), firstLine(f.passwordFile())));
    };
  }

  private static String variable(Map<String, String> env, String name) {
    String v = env.get(name);
    if (v == null || v.isBlank()) {
      throw new PipelineException("the registry login needs the environment variable " + name + " on the agent; it is not set");
    }
    return v;
  }

  private static String firstLine(Path file) {
    try {
      String line = Files.readString(file, StandardCharsets.UTF_8).lines().findFirst().orElse("");
      if (line.isEmpty()) {
        throw new PipelineException("the registry password file " + file + " is empty");
      }
      return line;
    } catch (IOException e) {
      throw new PipelineException("cannot read the registry password file " + file + ": " + e.getClass().getSimpleName());
    }
  }

  private static void requireVariable(String name) {
    if (name == null || !name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
      throw new PipelineException("'" + name + "' is not an environment variable name");
    }
  }
}
