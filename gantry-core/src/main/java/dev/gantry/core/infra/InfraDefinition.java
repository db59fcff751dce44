package dev.gantry.core.infra;

import dev.gantry.core.UserError;
import dev.gantry.core.definition.DefinitionLoader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The infrastructure definition of an infra folder, found, compiled and run the same way by
 * every command: where it lives ({@link #source}), one cache of compiled definitions
 * ({@link #defaultCache}), and errors as {@code file:line: message}, also for an exception
 * thrown by {@code define()}.
 *
 * <pre>{@code
 * Infrastructure infra = InfraDefinition.load(Path.of("."));
 * InfraDefinition.Compiled c = InfraDefinition.compile(Path.of("."));   // with the class files, for hosts
 * }</pre>
 */
public final class InfraDefinition {
  private InfraDefinition() {}

  /** A loaded definition with its compiled classes, as a host needs them. */
  public record Compiled(Infrastructure infrastructure, String className, Map<String, byte[]> classes) {
    public Compiled {
      classes = Map.copyOf(classes);
    }
  }

  /**
   * Where the definition of {@code given} (the {@code --infra} argument) lives: a {@code .java}
   * file given itself; else its {@code infra/} folder; else {@code given} when it holds
   * {@code .java} files; otherwise a {@link UserError} saying what was expected.
   */
  public static Path source(Path given) {
    if (Files.isRegularFile(given) && given.toString().endsWith(".java")) {
      return given;
    }
    Path infra = given.resolve("infra");
    if (Files.isDirectory(infra)) {
      return infra;
    }
    if (Files.isDirectory(given) && hasJava(given)) {
      return given;
    }
    String where = given.toAbsolutePath().normalize() + (Files.exists(given) ? "" : " (it does not exist)");
    throw new UserError("no infrastructure definition in " + where + ": expected "
        + "infra/Infra.java (a folder infra/ of .java files, one class implementing "
        + InfrastructureDefinition.class.getName() + "); --infra names the folder that holds it, or the file");
  }

  /** {@code $XDG_CACHE_HOME/gantry/definitions}, else {@code ~/.cache/gantry/definitions}. */
  public static Path defaultCache() {
    String xdg = System.getenv("XDG_CACHE_HOME");
    Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
    return base.resolve("gantry").resolve("definitions");
  }

  /** The infrastructure {@code given}'s definition declares, compiled through the default cache. */
  public static Infrastructure load(Path given) {
    return load(given, defaultCache());
  }

  public static Infrastructure load(Path given, Path cacheDir) {
    return new DefinitionLoader(cacheDir).load(source(given), InfrastructureDefinition.class, Infrastructure::of);
  }

  /** As {@link #load}, with the compiled class files (the definition runs on hosts too). */
  public static Compiled compile(Path given, Path cacheDir) {
    DefinitionLoader loader = new DefinitionLoader(cacheDir);
    Path source = source(given);
    Compiled loaded = loader.load(source, InfrastructureDefinition.class,
        d -> new Compiled(Infrastructure.of(d), d.getClass().getName(), Map.of()));
    return new Compiled(loaded.infrastructure(), loaded.className(), loader.classFiles(source));
  }

  private static boolean hasJava(Path dir) {
    try (Stream<Path> files = Files.list(dir)) {
      return files.anyMatch(f -> f.toString().endsWith(".java"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
