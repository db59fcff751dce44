package dev.gantry.core.definition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.core.UserError;
import dev.gantry.core.infra.Infrastructure;
import dev.gantry.core.infra.InfrastructureDefinition;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DefinitionLoaderTest {

  @TempDir Path tmp;

  private final AtomicInteger compilerUses = new AtomicInteger();

  private DefinitionLoader loader() {
    return new DefinitionLoader(tmp.resolve("cache"), () -> {
      compilerUses.incrementAndGet();
      return ToolProvider.getSystemJavaCompiler();
    }, System.getProperty("java.class.path"));
  }

  private Path write(String relative, String source) throws IOException {
    Path p = tmp.resolve(relative);
    Files.createDirectories(p.getParent());
    return Files.writeString(p, source);
  }

  private static final String HELLO = """
      import dev.gantry.core.definition.Greeter;

      public class Hello implements Greeter {
        public String greet(String name) {
          return "hello " + name;
        }
      }
      """;

  @Test
  void loadsASingleFile() throws IOException {
    Path file = write("def/Hello.java", HELLO);
    Greeter g = loader().load(file, Greeter.class);
    assertThat(g.greet("arnaud")).isEqualTo("hello arnaud");
    assertThat(g.getClass().getClassLoader()).isNotSameAs(Greeter.class.getClassLoader());
  }

  @Test
  void loadsAFolderWithPackagesAndHelpersAndSkipsHiddenFolders() throws IOException {
    write("infra/Infra.java", """
        package infra;

        import dev.gantry.core.infra.Infrastructure;
        import dev.gantry.core.infra.InfrastructureDefinition;

        public class Infra implements InfrastructureDefinition {
          public void define(Infrastructure i) {
            for (String h : Hosts.ALL) {
              i.host(h);
            }
          }
        }
        """);
    write("infra/lib/Hosts.java", """
        package infra;

        final class Hosts {
          static final java.util.List<String> ALL = java.util.List.of("ci.example.com", "prod.example.com");
        }
        """);
    write("infra/.git/Broken.java", "this is not java");

    InfrastructureDefinition def = loader().load(tmp.resolve("infra"), InfrastructureDefinition.class);
    assertThat(Infrastructure.of(def).hosts()).extracting(h -> h.name())
        .containsExactly("ci.example.com", "prod.example.com");
  }

  @Test
  void aSyntaxErrorNamesFileLineAndColumn() throws IOException {
    Path file = write(".gantry/Pipeline.java", """
        public class Pipeline implements dev.gantry.core.definition.Greeter {
          public String greet(String name) {
            return "hi " + name
          }
        }
        """);
    Path relative = tmp.relativize(file);
    assertThatThrownBy(() -> new DefinitionLoader(tmp.resolve("cache")).load(file, Greeter.class))
        .isInstanceOf(DefinitionException.class)
        .isInstanceOf(UserError.class)
        .hasMessage(file + ":3:24: ';' expected")
        .satisfies(e -> {
          Problem p = ((DefinitionException) e).problems().get(0);
          assertThat(p.file()).isEqualTo(file);
          assertThat(p.line()).isEqualTo(3);
          assertThat(p.column()).isEqualTo(24);
          assertThat(relative.toString()).endsWith("Pipeline.java");
        });
  }

  @Test
  void everyErrorGetsItsOwnLineInTheRightFile() throws IOException {
    write("defs/A.java", """
        public class A implements dev.gantry.core.definition.Greeter {
          public String greet(String name) { return missing(name); }
        }
        """);
    write("defs/B.java", """
        class B {
          int x = "not a number";
          Unknown u;
        }
        """);
    assertThatThrownBy(() -> loader().load(tmp.resolve("defs"), Greeter.class))
        .isInstanceOf(DefinitionException.class)
        .satisfies(e -> {
          List<Problem> problems = ((DefinitionException) e).problems();
          assertThat(problems).hasSize(3);
          assertThat(problems).extracting(Problem::file).containsExactly(
              tmp.resolve("defs/A.java"), tmp.resolve("defs/B.java"), tmp.resolve("defs/B.java"));
          assertThat(e.getMessage().lines()).hasSize(3);
          assertThat(problems).anySatisfy(p -> {
            assertThat(p.file()).isEqualTo(tmp.resolve("defs/A.java"));
            assertThat(p.line()).isEqualTo(2);
            assertThat(p.message()).startsWith("cannot find symbol; symbol: method missing(java.lang.String)");
          });
          assertThat(problems).anySatisfy(p -> {
            assertThat(p.file()).isEqualTo(tmp.resolve("defs/B.java"));
            assertThat(p.line()).isEqualTo(2);
            assertThat(p.message()).contains("incompatible types");
          });
          assertThat(problems).anySatisfy(p -> assertThat(p.toString()).startsWith(tmp.resolve("defs/B.java") + ":3:"));
        });
  }

  @Test
  void aMissingSourceIsNamed() {
    Path missing = tmp.resolve("infra/Infra.java");
    assertThatThrownBy(() -> loader().load(missing, Greeter.class))
        .isInstanceOf(DefinitionException.class)
        .hasMessage(missing + ": no such file or folder");
  }

  @Test
  void aFileThatIsNotJavaOrAnEmptyFolderIsRefused() throws IOException {
    Path text = write("notes.txt", "hello");
    assertThatThrownBy(() -> loader().load(text, Greeter.class)).hasMessage(text + ": not a Java source file (.java)");
    Path empty = Files.createDirectories(tmp.resolve("empty"));
    assertThatThrownBy(() -> loader().load(empty, Greeter.class)).hasMessage(empty + ": no .java files in this folder");
  }

  @Test
  void noImplementationIsAClearError() throws IOException {
    Path file = write("Hello.java", "public class Hello { }\n");
    assertThatThrownBy(() -> loader().load(file, Greeter.class))
        .isInstanceOf(DefinitionException.class)
        .hasMessage(file + ": no class implements dev.gantry.core.definition.Greeter (found Hello)");
  }

  @Test
  void twoImplementationsAreAClearError() throws IOException {
    write("two/One.java", HELLO.replace("Hello", "One"));
    write("two/Two.java", HELLO.replace("Hello", "Two"));
    assertThatThrownBy(() -> loader().load(tmp.resolve("two"), Greeter.class))
        .isInstanceOf(DefinitionException.class)
        .hasMessageContaining("2 classes implement dev.gantry.core.definition.Greeter")
        .hasMessageContaining("One in " + tmp.resolve("two/One.java"))
        .hasMessageContaining("Two in " + tmp.resolve("two/Two.java"))
        .hasMessageEndingWith("keep exactly one");
  }

  @Test
  void aClassThatIsNotPublicIsRefused() throws IOException {
    write("np/Helper.java", "public class Helper {}\nclass Hidden implements dev.gantry.core.definition.Greeter {"
        + " public String greet(String n) { return n; } }\n");
    assertThatThrownBy(() -> loader().load(tmp.resolve("np"), Greeter.class))
        .isInstanceOf(DefinitionException.class)
        .hasMessage(tmp.resolve("np/Helper.java") + ": class Hidden must be public");
  }

  @Test
  void aClassWithoutANoArgumentConstructorIsRefused() throws IOException {
    Path file = write("Hello.java", HELLO.replace("public String greet", "public Hello(int x) {}\n  public String greet"));
    assertThatThrownBy(() -> loader().load(file, Greeter.class))
        .isInstanceOf(DefinitionException.class)
        .hasMessage(file + ": class Hello needs a public constructor without arguments");
  }

  @Test
  void aConstructorThatThrowsPointsAtTheLine() throws IOException {
    Path file = write("Hello.java", """
        public class Hello implements dev.gantry.core.definition.Greeter {
          public Hello() {
            String host = System.getProperty("no.such.property.anywhere");
            throw new IllegalStateException("host is " + host);
          }
          public String greet(String n) { return n; }
        }
        """);
    assertThatThrownBy(() -> loader().load(file, Greeter.class))
        .isInstanceOf(DefinitionException.class)
        .hasMessage(file + ":4: creating Hello failed: java.lang.IllegalStateException: host is null")
        .hasCauseInstanceOf(IllegalStateException.class);
  }

  @Test
  void aStaticInitializerThatThrowsPointsAtTheLine() throws IOException {
    Path file = write("Hello.java", """
        public class Hello implements dev.gantry.core.definition.Greeter {
          static final int[] NUMBERS = new int[1];
          static final int BROKEN = NUMBERS[3];
          public String greet(String n) { return n; }
        }
        """);
    assertThatThrownBy(() -> loader().load(file, Greeter.class))
        .isInstanceOf(DefinitionException.class)
        .hasMessageStartingWith(file + ":3: creating Hello failed: java.lang.ArrayIndexOutOfBoundsException");
  }

  @Test
  void withoutACompilerTheMessageAsksForAJdk() throws IOException {
    Path file = write("Hello.java", HELLO);
    DefinitionLoader jre = new DefinitionLoader(tmp.resolve("cache"), () -> null, System.getProperty("java.class.path"));
    assertThatThrownBy(() -> jre.load(file, Greeter.class))
        .isInstanceOf(DefinitionException.class)
        .hasMessageStartingWith(file + ": no Java compiler")
        .hasMessageContaining("JDK 21 or newer");
  }

  @Test
  void theSameSourcesAreCompiledOnceAndAChangeRecompiles() throws IOException {
    Path file = write("def/Hello.java", HELLO);
    DefinitionLoader loader = loader();

    Greeter first = loader.load(file, Greeter.class);
    List<Path> cached = classFiles();
    FileTime compiledAt = Files.getLastModifiedTime(cached.get(0));
    Greeter again = new DefinitionLoader(tmp.resolve("cache"), () -> {
      compilerUses.incrementAndGet();
      return ToolProvider.getSystemJavaCompiler();
    }, System.getProperty("java.class.path")).load(file, Greeter.class);

    assertThat(compilerUses).hasValue(1);
    assertThat(classFiles()).isEqualTo(cached);
    assertThat(Files.getLastModifiedTime(cached.get(0))).isEqualTo(compiledAt);
    assertThat(again.greet("x")).isEqualTo(first.greet("x"));
    assertThat(again.getClass()).isNotSameAs(first.getClass()); // a fresh class loader each time

    Files.writeString(file, HELLO.replace("hello ", "hi "));
    assertThat(loader.load(file, Greeter.class).greet("x")).isEqualTo("hi x");
    assertThat(compilerUses).hasValue(2);
    try (Stream<Path> dirs = Files.list(tmp.resolve("cache"))) {
      assertThat(dirs.map(p -> p.getFileName().toString())).hasSize(2).allMatch(n -> n.matches("[0-9a-f]{64}"));
    }
  }

  @Test
  void concurrentLoadsOfTheSameSourcesAgree() throws Exception {
    Path file = write("def/Hello.java", HELLO);
    DefinitionLoader loader = loader();
    try (ExecutorService pool = Executors.newFixedThreadPool(3)) {
      Callable<String> load = () -> loader.load(file, Greeter.class).greet("y");
      List<Future<String>> results = pool.invokeAll(List.of(load, load, load));
      for (Future<String> r : results) {
        assertThat(r.get()).isEqualTo("hello y");
      }
    }
    try (Stream<Path> left = Files.list(tmp.resolve("cache"))) {
      assertThat(left).hasSize(1); // no temporary folders left behind
    }
  }

  @Test
  void theExpectedTypeCanBeAnyClass() throws IOException {
    Path file = write("Plain.java", "public class Plain { public String toString() { return \"plain\"; } }\nclass Other {}\n");
    assertThat(loader().load(file, Object.class)).hasToString("plain");
  }

  private List<Path> classFiles() throws IOException {
    try (Stream<Path> walk = Files.walk(tmp.resolve("cache"))) {
      return walk.filter(p -> p.toString().endsWith(".class")).sorted().toList();
    }
  }

  @SuppressWarnings("unused")
  private static JavaCompiler systemCompiler() {
    return ToolProvider.getSystemJavaCompiler();
  }

  @Test
  void aDefinitionErrorFromABuilderPointsAtTheUsersLine() throws IOException {
    Path file = write("infra/Infra.java", """
        import dev.gantry.core.infra.*;

        public class Infra implements InfrastructureDefinition {
          public void define(Infrastructure i) {
            i.host("web1");
            i.host("web2")
                .sshPort(70000);
          }
        }
        """);
    assertThatThrownBy(() -> loader().load(file, InfrastructureDefinition.class, Infrastructure::of))
        .isInstanceOf(DefinitionException.class)
        .hasMessage(file + ":7: host 'web2': ssh port 70000 is not in 1..65535")
        .hasCauseInstanceOf(DefinitionError.class);
  }

  @Test
  void whatTheUsersCodeThrowsWhileUsedPointsAtItsLineAndClassFilesAreKept() throws IOException {
    Path file = write("infra/Infra.java", """
        public class Infra implements dev.gantry.core.definition.Greeter {
          public String greet(String name) {
            if (name.isEmpty()) {
              throw new IllegalArgumentException("a name, please");
            }
            return "hi " + name;
          }
        }
        """);
    String greeting = loader().load(file, Greeter.class, g -> g.greet("x"));
    assertThat(greeting).isEqualTo("hi x");
    assertThatThrownBy(() -> loader().load(file, Greeter.class, g -> g.greet("")))
        .isInstanceOf(DefinitionException.class)
        .hasMessage(file + ":4: a name, please");
    // thrown by the caller's own code, not the user's: passed on as it is
    assertThatThrownBy(() -> loader().load(file, Greeter.class, g -> {
      throw new IllegalStateException("ours");
    })).isExactlyInstanceOf(IllegalStateException.class).hasMessage("ours");
    assertThat(loader().classFiles(file)).containsOnlyKeys("Infra")
        .allSatisfy((name, bytes) -> assertThat(bytes).startsWith((byte) 0xCA, (byte) 0xFE));
  }
}
