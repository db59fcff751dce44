package dev.gantry.core.definition;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Modifier;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * Compiles a user's Java definition at run time and returns an instance of it, so users
 * write typed Java with no build step: {@code .gantry/Pipeline.java}, {@code infra/Infra.java}
 * or a folder of sources.
 *
 * <pre>{@code
 * DefinitionLoader loader = new DefinitionLoader(dataDir.resolve("cache/definitions"));
 * InfrastructureDefinition def = loader.load(Path.of("infra"), InfrastructureDefinition.class);
 * Infrastructure infra = Infrastructure.of(def);
 * }</pre>
 *
 * <p>The sources are compiled for Java 21 against this process's class path (Gantry's API,
 * the shaded jar when run from it), into {@code cacheDir/<sha256>/}; loading the same
 * sources again skips the compiler. The classes live in their own class loader whose parent
 * is the loader of {@code expected}. Exactly one concrete class must implement
 * {@code expected}; it needs a public no-argument constructor.
 *
 * <p>Every failure is a {@link DefinitionException} with {@code file:line:col: message}
 * lines: compile errors, no or several implementations, a class that is not public or has
 * no suitable constructor, a constructor that throws, and running on a JRE without javac.
 */
public final class DefinitionLoader {
  private static final String COMPLETE = ".complete";

  private final Path cacheDir;
  private final Supplier<JavaCompiler> compiler;
  private final String classPath;

  public DefinitionLoader(Path cacheDir) {
    this(cacheDir, ToolProvider::getSystemJavaCompiler, System.getProperty("java.class.path"));
  }

  /** For tests: a given compiler (null stands for a JRE) and class path. */
  DefinitionLoader(Path cacheDir, Supplier<JavaCompiler> compiler, String classPath) {
    this.cacheDir = cacheDir;
    this.compiler = compiler;
    this.classPath = classPath;
  }

  /** Compiles (or takes from the cache) the sources at {@code source} and creates the one class implementing {@code expected}. */
  public <T> T load(Path source, Class<T> expected) {
    return load(source, expected, Function.identity());
  }

  /**
   * As {@link #load(Path, Class)}, then hands the instance to {@code use}: what the user's
   * code throws while {@code use} runs it (a definition's {@code define}, say) is a
   * {@link DefinitionException} pointing at the user's file and line too.
   *
   * <pre>{@code
   * Infrastructure infra = loader.load(Path.of("infra"), InfrastructureDefinition.class, Infrastructure::of);
   * }</pre>
   */
  public <T, R> R load(Path source, Class<T> expected, Function<? super T, R> use) {
    Sources sources = Sources.find(source);
    Path out = compiled(sources);
    Properties origins = Compilation.readOrigins(out);
    ClassLoader parent = expected.getClassLoader() != null ? expected.getClassLoader()
        : DefinitionLoader.class.getClassLoader();
    // left open: the instance may load more of its classes later
    URLClassLoader loader = new URLClassLoader("definition:" + sources.root(), new URL[] {url(out)}, parent);
    List<Class<?>> classes = classes(out, loader, sources, origins);
    Class<? extends T> chosen = choose(classes, expected, sources, origins);
    T instance = instantiate(chosen, sources, origins, loader);
    try {
      return use.apply(instance);
    } catch (DefinitionException e) {
      throw e;
    } catch (RuntimeException e) {
      DefinitionException inUserCode = inUserCode(e, sources, origins, loader);
      if (inUserCode == null) {
        throw e;
      }
      throw inUserCode;
    }
  }

  /** The class files compiled from {@code source} (compiled now or taken from the cache), by class name. */
  public Map<String, byte[]> classFiles(Path source) {
    Sources sources = Sources.find(source);
    Path out = compiled(sources);
    Map<String, byte[]> files = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(out)) {
      for (Path p : walk.filter(f -> f.toString().endsWith(".class")).toList()) {
        String name = out.relativize(p).toString().replace('\\', '/').replace('/', '.');
        files.put(name.substring(0, name.length() - ".class".length()), Files.readAllBytes(p));
      }
    } catch (IOException | UncheckedIOException e) {
      throw new DefinitionException(new Problem(sources.root(), 0, 0, "cannot read compiled classes: " + e.getMessage()), e);
    }
    return files;
  }

  /** {@code e} pointing at the innermost frame of the user's code it passed through; null when it passed none. */
  private static DefinitionException inUserCode(RuntimeException e, Sources sources, Properties origins,
                                                ClassLoader loader) {
    for (StackTraceElement frame : e.getStackTrace()) {
      if (loader.getName() != null && loader.getName().equals(frame.getClassLoaderName())) {
        String what = e.getMessage() == null ? e.getClass().getName() : e.getMessage();
        return new DefinitionException(new Problem(origin(frame.getClassName(), sources, origins),
            Math.max(0, frame.getLineNumber()), 0, what), e);
      }
    }
    return null;
  }

  private Path compiled(Sources sources) {
    Path out = cacheDir.resolve(CacheKey.of(sources, classPath));
    if (Files.isRegularFile(out.resolve(COMPLETE))) {
      return out;
    }
    JavaCompiler javac = compiler.get();
    if (javac == null) {
      throw new DefinitionException(List.of(new Problem(sources.root(), 0, 0,
          "no Java compiler: Gantry runs on a Java runtime without javac (" + System.getProperty("java.home")
              + "); run it with a JDK " + Compilation.RELEASE + " or newer to compile definitions")));
    }
    deleteTree(out); // an incomplete entry, left by hand or by a full disk
    Path tmp = cacheDir.resolve(out.getFileName() + ".tmp-" + UUID.randomUUID());
    try {
      Files.createDirectories(tmp);
      Compilation.compile(javac, sources, classPath, tmp);
      Files.createFile(tmp.resolve(COMPLETE));
      Files.move(tmp, out, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      if (Files.isRegularFile(out.resolve(COMPLETE))) {
        return out; // another load compiled the same sources first: use theirs
      }
      throw new DefinitionException(new Problem(sources.root(), 0, 0,
          "cannot write compiled classes to " + cacheDir + ": " + e.getMessage()), e);
    } finally {
      deleteTree(tmp);
    }
    return out;
  }

  private static URL url(Path out) {
    try {
      return out.toUri().toURL();
    } catch (MalformedURLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static List<Class<?>> classes(Path out, ClassLoader loader, Sources sources, Properties origins) {
    List<String> names;
    try (Stream<Path> walk = Files.walk(out)) {
      names = walk.filter(p -> p.toString().endsWith(".class"))
          .map(p -> out.relativize(p).toString().replace('\\', '/').replace('/', '.'))
          .map(n -> n.substring(0, n.length() - ".class".length()))
          .sorted()
          .toList();
    } catch (IOException | UncheckedIOException e) {
      throw new DefinitionException(new Problem(sources.root(), 0, 0, "cannot read compiled classes: " + e.getMessage()), e);
    }
    List<Class<?>> classes = new ArrayList<>();
    for (String name : names) {
      try {
        classes.add(Class.forName(name, false, loader));
      } catch (ClassNotFoundException | LinkageError e) {
        throw new DefinitionException(new Problem(origin(name, sources, origins), 0, 0,
            "cannot load class " + name + ": " + e), e);
      }
    }
    return classes;
  }

  private static <T> Class<? extends T> choose(List<Class<?>> classes, Class<T> expected, Sources sources,
      Properties origins) {
    List<Class<?>> candidates = classes.stream()
        .filter(c -> expected.isAssignableFrom(c) && !c.isInterface() && !Modifier.isAbstract(c.getModifiers()))
        .filter(c -> !c.isAnonymousClass() && !c.isLocalClass() && !c.isSynthetic())
        .filter(c -> expected != Object.class || (c.getEnclosingClass() == null && Modifier.isPublic(c.getModifiers())))
        .toList();
    if (candidates.isEmpty()) {
      String found = classes.stream().filter(c -> c.getEnclosingClass() == null).map(Class::getName)
          .collect(Collectors.joining(", "));
      throw new DefinitionException(List.of(new Problem(sources.root(), 0, 0,
          "no class implements " + expected.getName() + (found.isEmpty() ? "" : " (found " + found + ")"))));
    }
    if (candidates.size() > 1) {
      String which = candidates.stream().map(c -> c.getName() + " in " + origin(c.getName(), sources, origins))
          .collect(Collectors.joining(", "));
      throw new DefinitionException(List.of(new Problem(sources.root(), 0, 0,
          candidates.size() + " classes implement " + expected.getName() + ": " + which + "; keep exactly one")));
    }
    return candidates.get(0).asSubclass(expected);
  }

  private static <T> T instantiate(Class<? extends T> type, Sources sources, Properties origins, ClassLoader loader) {
    Path file = origin(type.getName(), sources, origins);
    if (!isPublic(type)) {
      throw problem(file, "class " + type.getName() + " must be public");
    }
    if (type.getEnclosingClass() != null && !Modifier.isStatic(type.getModifiers())) {
      throw problem(file, "class " + type.getName() + " must be top-level or static");
    }
    Constructor<? extends T> constructor;
    try {
      constructor = type.getConstructor();
    } catch (NoSuchMethodException e) {
      throw problem(file, "class " + type.getName() + " needs a public constructor without arguments");
    }
    try {
      return constructor.newInstance();
    } catch (InvocationTargetException e) {
      throw thrownBy(type, e.getCause(), sources, origins, loader);
    } catch (ExceptionInInitializerError e) {
      throw thrownBy(type, e.getCause(), sources, origins, loader);
    } catch (ReflectiveOperationException | LinkageError e) {
      throw new DefinitionException(new Problem(file, 0, 0, "cannot create " + type.getName() + ": " + e), e);
    }
  }

  private static boolean isPublic(Class<?> c) {
    for (Class<?> k = c; k != null; k = k.getEnclosingClass()) {
      if (!Modifier.isPublic(k.getModifiers())) {
        return false;
      }
    }
    return true;
  }

  /** Points at the line of the user's code where {@code cause} was thrown, if it was. */
  private static DefinitionException thrownBy(Class<?> type, Throwable cause, Sources sources, Properties origins,
      ClassLoader loader) {
    Path file = origin(type.getName(), sources, origins);
    long line = 0;
    for (StackTraceElement frame : cause.getStackTrace()) {
      if (loader.getName() != null && loader.getName().equals(frame.getClassLoaderName())) {
        file = origin(frame.getClassName(), sources, origins);
        line = Math.max(0, frame.getLineNumber());
        break;
      }
    }
    String what = cause.getClass().getName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
    return new DefinitionException(new Problem(file, line, 0, "creating " + type.getName() + " failed: " + what), cause);
  }

  private static Path origin(String className, Sources sources, Properties origins) {
    String topLevel = className.contains("$") ? className.substring(0, className.indexOf('$')) : className;
    String relative = origins.getProperty(topLevel);
    return relative == null ? sources.root() : sources.resolve(relative);
  }

  private static DefinitionException problem(Path file, String message) {
    return new DefinitionException(List.of(new Problem(file, 0, 0, message)));
  }

  private static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a leftover temporary folder in the cache is harmless
    }
  }
}
