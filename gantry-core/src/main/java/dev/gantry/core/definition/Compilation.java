package dev.gantry.core.definition;

import com.sun.source.util.JavacTask;
import com.sun.source.util.TaskEvent;
import com.sun.source.util.TaskListener;
import java.io.IOException;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Collectors;
import javax.lang.model.element.TypeElement;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;

/**
 * One run of javac over a definition's sources into an output folder, which afterwards also
 * holds {@value #ORIGINS}: for each top-level class, the source it came from.
 */
final class Compilation {
  static final String ORIGINS = "gantry-sources.properties";
  static final String RELEASE = "21";

  private Compilation() {}

  static void compile(JavaCompiler javac, Sources sources, String classPath, Path out) {
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    Map<String, String> origins = new TreeMap<>();
    Writer otherOutput = new StringWriter();
    boolean ok;
    try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8)) {
      List<String> options = List.of("--release", RELEASE, "-classpath", classPath, "-d", out.toString(),
          "-encoding", "UTF-8", "-proc:none", "-g", "-parameters", "-nowarn", "-Xlint:none");
      var task = javac.getTask(otherOutput, files, diagnostics, options, null,
          files.getJavaFileObjectsFromPaths(sources.files()));
      if (task instanceof JavacTask jt) {
        jt.addTaskListener(recordOrigins(sources, origins));
      }
      ok = task.call();
    } catch (IOException e) {
      throw new DefinitionException(new Problem(sources.root(), 0, 0, "cannot compile: " + e.getMessage()), e);
    } catch (IllegalArgumentException | IllegalStateException e) {
      // javac refuses its options, e.g. a JDK older than the release we compile for
      throw new DefinitionException(new Problem(sources.root(), 0, 0,
          "the Java compiler refused to compile for Java " + RELEASE + ": " + e.getMessage()), e);
    }
    List<Problem> problems = errors(sources, diagnostics);
    if (!ok || !problems.isEmpty()) {
      if (problems.isEmpty()) {
        problems = List.of(new Problem(sources.root(), 0, 0, "compilation failed: " + otherOutput.toString().strip()));
      }
      throw new DefinitionException(problems);
    }
    writeOrigins(sources, out, origins);
  }

  private static TaskListener recordOrigins(Sources sources, Map<String, String> origins) {
    return new TaskListener() {
      @Override
      public void finished(TaskEvent e) {
        TypeElement type = e.getTypeElement();
        if (e.getKind() == TaskEvent.Kind.GENERATE && type != null && e.getSourceFile() != null) {
          Path file = Path.of(e.getSourceFile().toUri());
          origins.put(type.getQualifiedName().toString(), sources.relative(sourceOf(sources, file)));
        }
      }
    };
  }

  /** The source path as the user's root names it, matched by the absolute path javac saw. */
  private static Path sourceOf(Sources sources, Path absolute) {
    for (Path f : sources.files()) {
      if (f.toAbsolutePath().normalize().equals(absolute.toAbsolutePath().normalize())) {
        return f;
      }
    }
    return absolute;
  }

  private static List<Problem> errors(Sources sources, DiagnosticCollector<JavaFileObject> diagnostics) {
    List<Problem> problems = new ArrayList<>();
    for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
      if (d.getKind() != Diagnostic.Kind.ERROR) {
        continue;
      }
      Path file = d.getSource() == null ? sources.root() : sourceOf(sources, Path.of(d.getSource().toUri()));
      problems.add(new Problem(file, Math.max(0, d.getLineNumber()), Math.max(0, d.getColumnNumber()),
          oneLine(d.getMessage(Locale.ROOT))));
    }
    problems.sort(Comparator.comparing((Problem p) -> p.file().toString()).thenComparingLong(Problem::line)
        .thenComparingLong(Problem::column));
    return problems;
  }

  /** javac's "cannot find symbol\n  symbol: ..." as one line. */
  static String oneLine(String message) {
    return message.lines().map(String::strip).filter(l -> !l.isEmpty())
        .map(l -> l.replaceAll("\\s+", " ")).collect(Collectors.joining("; "));
  }

  private static void writeOrigins(Sources sources, Path out, Map<String, String> origins) {
    Properties p = new Properties();
    p.putAll(origins);
    try (Writer w = Files.newBufferedWriter(out.resolve(ORIGINS), StandardCharsets.UTF_8)) {
      p.store(w, null);
    } catch (IOException e) {
      throw new DefinitionException(new Problem(sources.root(), 0, 0, "cannot write to the cache: " + e.getMessage()), e);
    }
  }

  static Properties readOrigins(Path out) {
    Properties p = new Properties();
    try (var r = Files.newBufferedReader(out.resolve(ORIGINS), StandardCharsets.UTF_8)) {
      p.load(r);
    } catch (IOException e) {
      // without origins, problems point at the definition's root instead of the exact file
    }
    return p;
  }
}
