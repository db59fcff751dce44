package dev.gantry.host.definition;

import dev.gantry.core.UserError;
import dev.gantry.core.infra.InfrastructureDefinition;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.FileObject;
import javax.tools.ForwardingJavaFileManager;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.StandardLocation;
import javax.tools.ToolProvider;

/**
 * Compiles an infrastructure definition ({@code infra/Infra.java}, or every {@code .java}
 * file of a folder) in memory against Gantry's class path. Errors are a {@link UserError}
 * listing {@code file:line:col: message}.
 *
 * <pre>{@code
 * CompiledDefinition d = new DefinitionCompiler().compile(Path.of("infra"));
 * }</pre>
 */
public final class DefinitionCompiler {
  private final Path cacheDir;

  /** A compiler that compiles every time. */
  public DefinitionCompiler() {
    this(null);
  }

  /**
   * A compiler that keeps compiled definitions in {@code cacheDir}, keyed by the sources and
   * the class path, so an unchanged definition is not compiled again by the next command.
   */
  public DefinitionCompiler(Path cacheDir) {
    this.cacheDir = cacheDir;
  }

  /** Compiles {@code source} (a .java file or a folder of them) and finds the one definition class. */
  public CompiledDefinition compile(Path source) {
    List<Path> files = sources(source);
    if (cacheDir == null) {
      return compileNow(source, files);
    }
    Path entry = cacheDir.resolve(cacheKey(files) + ".bin");
    java.util.Optional<CompiledDefinition> cached = DefinitionCache.read(entry);
    if (cached.isPresent()) {
      return cached.get();
    }
    CompiledDefinition d = compileNow(source, files);
    DefinitionCache.write(entry, d);
    return d;
  }

  private static String cacheKey(List<Path> files) {
    java.security.MessageDigest md;
    try {
      md = java.security.MessageDigest.getInstance("SHA-256");
      for (Path f : files) {
        md.update(f.toAbsolutePath().toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        md.update(Files.readAllBytes(f));
      }
      for (Path e : classPath()) {
        md.update(e.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        if (Files.isRegularFile(e)) {
          md.update(Long.toString(Files.size(e)).getBytes(java.nio.charset.StandardCharsets.UTF_8));
          md.update(Long.toString(Files.getLastModifiedTime(e).toMillis()).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
      }
    } catch (IOException | java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    return java.util.HexFormat.of().formatHex(md.digest()).substring(0, 32);
  }

  private CompiledDefinition compileNow(Path source, List<Path> files) {
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    if (javac == null) {
      throw new UserError("this Java runtime has no compiler (javax.tools); run Gantry on a JDK");
    }
    DiagnosticCollector<JavaFileObject> diags = new DiagnosticCollector<>();
    Map<String, ByteArrayOutputStream> out = new ConcurrentHashMap<>();
    try (StandardJavaFileManager std = javac.getStandardFileManager(diags, Locale.ROOT, null)) {
      var fm = new ForwardingJavaFileManager<>(std) {
        @Override
        public JavaFileObject getJavaFileForOutput(Location loc, String className, JavaFileObject.Kind kind,
                                                   FileObject sibling) {
          return new SimpleJavaFileObject(URI.create("mem:///" + className.replace('.', '/') + ".class"), kind) {
            @Override
            public OutputStream openOutputStream() {
              ByteArrayOutputStream b = new ByteArrayOutputStream();
              out.put(className, b);
              return b;
            }
          };
        }
      };
      std.setLocationFromPaths(StandardLocation.CLASS_PATH, classPath());
      List<String> options = List.of("-proc:none", "-encoding", "UTF-8", "-Xlint:-options", "--release", "21");
      boolean ok = javac.getTask(null, fm, diags, options, null, std.getJavaFileObjectsFromPaths(files)).call();
      if (!ok) {
        throw new UserError("the infrastructure definition does not compile:\n" + format(diags, source));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Map<String, byte[]> classes = new TreeMap<>();
    out.forEach((k, v) -> classes.put(k, v.toByteArray()));
    return new CompiledDefinition(findDefinition(classes, source), classes);
  }

  private static String findDefinition(Map<String, byte[]> classes, Path source) {
    CompiledDefinition.BytesClassLoader loader =
        new CompiledDefinition.BytesClassLoader(classes, DefinitionCompiler.class.getClassLoader());
    List<String> found = new ArrayList<>();
    for (String name : classes.keySet()) {
      try {
        Class<?> c = loader.loadClass(name);
        if (InfrastructureDefinition.class.isAssignableFrom(c) && !c.isInterface()
            && !java.lang.reflect.Modifier.isAbstract(c.getModifiers()) && c.getEnclosingClass() == null) {
          found.add(name);
        }
      } catch (ClassNotFoundException | LinkageError e) {
        throw new UserError("cannot load compiled class " + name + " of " + source + ": " + e);
      }
    }
    if (found.size() != 1) {
      throw new UserError(source + ": expected exactly one top-level class implementing"
          + " dev.gantry.core.infra.InfrastructureDefinition, found " + (found.isEmpty() ? "none" : found));
    }
    return found.get(0);
  }

  private static List<Path> sources(Path source) {
    if (Files.isRegularFile(source)) {
      return List.of(source);
    }
    if (!Files.isDirectory(source)) {
      throw new UserError("no infrastructure definition at " + source + " (expected infra/Infra.java or a folder of"
          + " .java files)");
    }
    try (Stream<Path> s = Files.walk(source)) {
      List<Path> files = s.filter(p -> p.toString().endsWith(".java")).sorted().toList();
      if (files.isEmpty()) {
        throw new UserError("no .java files in " + source);
      }
      return files;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<Path> classPath() {
    List<Path> out = new ArrayList<>();
    for (String e : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
      if (!e.isBlank()) {
        out.add(Path.of(e));
      }
    }
    return out;
  }

  private static String format(DiagnosticCollector<JavaFileObject> diags, Path source) {
    StringBuilder sb = new StringBuilder();
    Path base = Files.isDirectory(source) ? source : source.getParent();
    for (Diagnostic<? extends JavaFileObject> d : diags.getDiagnostics()) {
      if (d.getKind() != Diagnostic.Kind.ERROR) {
        continue;
      }
      String file = d.getSource() == null ? "?" : Path.of(d.getSource().toUri()).toString();
      if (base != null && file.startsWith(base.toAbsolutePath().toString())) {
        file = base.resolve(base.toAbsolutePath().relativize(Path.of(file).toAbsolutePath())).toString();
      }
      // javac's whole message: "cannot find symbol" alone does not say which
      List<String> lines = d.getMessage(Locale.ROOT).lines().toList();
      sb.append(file).append(':').append(d.getLineNumber()).append(':').append(d.getColumnNumber()).append(": ")
          .append(lines.isEmpty() ? "" : lines.get(0)).append('\n');
      lines.stream().skip(1).filter(l -> !l.isBlank()).forEach(l -> sb.append("    ").append(l.strip()).append('\n'));
    }
    return sb.toString().stripTrailing();
  }
}
