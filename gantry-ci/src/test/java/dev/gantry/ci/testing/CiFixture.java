package dev.gantry.ci.testing;

import static dev.gantry.ci.testing.GitFixture.commitAll;
import static dev.gantry.ci.testing.GitFixture.git;
import static dev.gantry.ci.testing.GitFixture.write;

import dev.gantry.ci.cli.AgentCommand;
import dev.gantry.ci.hook.HookInstaller;
import dev.gantry.ci.queue.Patch;
import dev.gantry.ci.queue.PatchState;
import dev.gantry.ci.server.CiService;
import dev.gantry.ci.server.CiSettings;
import dev.gantry.core.notify.Notifier;
import dev.gantry.core.notify.RetryPolicy;
import dev.gantry.core.notify.SlackNotifier;
import dev.gantry.core.store.Store;
import dev.gantry.core.testing.RecordingHttpServer;
import dev.gantry.server.ServerSettings;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;

/**
 * A whole CI on this machine: a central bare repository with a pipeline and the real hook,
 * a developer clone, the CI server (in this JVM or its own), a Slack receiver, and agents in
 * JVMs of their own.
 */
public final class CiFixture implements AutoCloseable {
  public static final String HOOK_SECRET = "hook-secret-0123456789";
  public static final String AGENT_TOKEN = "agent-token-0123456789";

  /** A {@code .gantry/Pipeline.java} whose {@code define} body is {@code statements} (using {@code p}). */
  public static String pipeline(String statements) {
    return """
        import dev.gantry.ci.pipeline.PipelineBuilder;
        import dev.gantry.ci.pipeline.PipelineDefinition;

        public class Pipeline implements PipelineDefinition {
          public void define(PipelineBuilder p) {
        %s  }
        }
        """.formatted(statements.indent(4));
  }

  public static final String PIPELINE = """
      import dev.gantry.ci.pipeline.PipelineBuilder;
      import dev.gantry.ci.pipeline.PipelineDefinition;

      public class Pipeline implements PipelineDefinition {
        public void define(PipelineBuilder p) {
          var compile = p.step("compile").run("./build.sh compile");
          p.step("test").after(compile).run("./build.sh test");
          p.step("lint").after(compile).run("./build.sh lint");
          p.step("docs").after(compile).run("./build.sh docs");
          p.step("package").after(compile).run("./build.sh package");
        }
      }
      """;

  public static final String BUILD_SH = """
      #!/bin/sh
      set -e
      echo "step $1: commit=$GANTRY_COMMIT candidate=$GANTRY_CANDIDATE step=$GANTRY_STEP url=$GANTRY_RUN_URL patches=[$GANTRY_PATCHES]"
      case "$1" in
        compile) mkdir -p out; cat src/*.txt > out/all.txt ;;
        test)
          if [ -f slow ] && [ "$(cut -d' ' -f1 slow)" = "$GANTRY_AGENT" ]; then echo sleeping; sleep "$(cut -d' ' -f2 slow)"; fi
          if grep -q BROKEN out/all.txt; then echo "test failed: BROKEN found in the sources" >&2; exit 1; fi ;;
        *) true ;;
      esac
      echo "$1 done"
      """;

  public final Path root;
  public final GitFixture git;
  public final Path central;
  public final Path dev;
  public final RecordingHttpServer slack;
  public final HttpClient http = HttpClient.newHttpClient();
  private final List<JvmProcess> agents = new ArrayList<>();
  private Store store;
  private CiService ci;
  private TestWeb web;
  private Notifier notifier;
  private JvmProcess serverJvm;
  private int port;
  private UnaryOperator<CiSettings> tuning = UnaryOperator.identity();
  private ServerSettings.Tls tls;
  private Path hookCa;

  private CiFixture(Path root) throws IOException {
    this.root = root;
    this.git = new GitFixture(root);
    this.central = git.central("app", "README", "app\n", "src/a.txt", "a\n", "src/b.txt", "b\n", "src/c.txt", "c\n",
        "build.sh", BUILD_SH, ".gantry/Pipeline.java", PIPELINE, ".gitignore", "out/\n");
    this.dev = git.clone(central, "dev");
    this.slack = RecordingHttpServer.start();
  }

  /** The repositories and the Slack receiver; start the server and agents separately. */
  public static CiFixture create(Path root) throws IOException {
    return new CiFixture(root);
  }

  public static CiSettings settings(String repository, String publicUrl) {
    return CiSettings.defaults(repository, publicUrl, HOOK_SECRET, AGENT_TOKEN)
        .withTimings(Duration.ofSeconds(3), Duration.ofSeconds(2), Duration.ZERO);
  }

  /** Changes the in-JVM server's settings (e.g. a shorter timeout) before {@link #startServer}. */
  public CiFixture tuned(UnaryOperator<CiSettings> t) {
    tuning = t;
    return this;
  }

  /** The in-JVM server serves HTTPS with this certificate and key (PEM) from {@link #startServer} on. */
  public CiFixture servingTls(Path certificate, Path key) {
    tls = new ServerSettings.Tls(certificate, key);
    return this;
  }

  /** The in-JVM server (serving TLS) requires agents to present a certificate the CA of {@code caFile} issued. */
  public CiFixture requiringClientCertificatesFrom(Path caFile) {
    tls = tls.requiringClientCertificatesFrom(caFile);
    return this;
  }

  /** The central repository's hook believes the https server only through the CA of {@code caFile}. */
  public CiFixture hookTrusting(Path caFile) {
    hookCa = caFile;
    return this;
  }

  /** Starts the CI server in this JVM (on {@code port}, 0 for any) and installs the hook pointing at it. */
  public CiFixture startServer(int wantedPort) {
    store = Store.open(root.resolve("server/gantry.db"));
    web = null;
    int p = wantedPort == 0 ? freePort() : wantedPort;
    notifier = new SlackNotifier(slack.uri("/services/T000/B000/XXXX"), new RetryPolicy(3, Duration.ofMillis(50), Duration.ofMillis(200), Duration.ofSeconds(5)));
    ci = CiService.start(tuning.apply(settings(central.toString(), scheme() + "://127.0.0.1:" + p)), root.resolve("server/ci"), store, List.of(notifier));
    web = TestWeb.start(root.resolve("server/web"), p, List.of(ci.webComponent()), tls);
    port = web.port();
    installHook();
    return this;
  }

  /** Stops the in-JVM server (the store file and the data folder stay). */
  public void stopServer() {
    web.close();
    ci.close();
    notifier.close();
    store.close();
    ci = null;
  }

  /** Starts the CI server in a JVM of its own on {@code wantedPort} (0: a free one). */
  public JvmProcess startServerJvm(int wantedPort) throws Exception {
    int p = wantedPort == 0 ? freePort() : wantedPort;
    serverJvm = JvmProcess.start(CiServerMain.class, root.resolve("server-" + Instant.now().toEpochMilli() + ".out"),
        root.resolve("server").toString(), central.toString(), Integer.toString(p), slack.uri("/services/T000/B000/XXXX").toString());
    agents.add(serverJvm);
    serverJvm.awaitOutput("READY", Duration.ofSeconds(60));
    port = p;
    installHook();
    return serverJvm;
  }

  private void installHook() {
    HookInstaller installer = hookCa == null ? new HookInstaller() : new HookInstaller().trustingCa(hookCa);
    installer.install(central, URI.create(url()), HOOK_SECRET, true);
  }

  public CiService ci() {
    return ci;
  }

  public int port() {
    return port;
  }

  public String url() {
    return scheme() + "://127.0.0.1:" + port;
  }

  private String scheme() {
    return tls == null ? "http" : "https";
  }

  /** Starts an agent JVM. */
  public JvmProcess agent(String name, String... extra) throws IOException {
    List<String> args = new ArrayList<>(List.of("--server", url(), "--token", AGENT_TOKEN, "--name", name,
        "--capabilities", "linux", "--slots", "1", "--work", root.resolve("agents/" + name).toString(), "--heartbeat", "300ms"));
    args.addAll(List.of(extra));
    JvmProcess p = JvmProcess.start(AgentCommand.class, root.resolve("agents/" + name + ".out"), args.toArray(String[]::new));
    agents.add(p);
    return p;
  }

  /** Commits {@code files} (path, content pairs) on a new branch from master and pushes it (the hook fires). */
  public String push(String branch, String... files) throws IOException {
    git(dev, "fetch", "-q", "origin");
    git(dev, "checkout", "-q", "-B", branch, "origin/master");
    for (int i = 0; i < files.length; i += 2) {
      write(dev, files[i], files[i + 1]);
    }
    String sha = commitAll(dev, "change on " + branch);
    git(dev, "push", "-q", "-f", "origin", "HEAD:refs/heads/" + branch);
    return sha;
  }

  public String master() {
    return git(central, "rev-parse", "refs/heads/master");
  }

  /** The patch of {@code branch} at {@code commit}, as the in-JVM server knows it. */
  public Patch patch(String commit) {
    return ci.state().patches().values().stream().filter(p -> p.commit().equals(commit)).reduce((a, b) -> b)
        .or(() -> ci.database().patches(1000).stream().filter(p -> p.commit().equals(commit)).findFirst())
        .orElseThrow(() -> new AssertionError("no patch for " + commit));
  }

  public PatchState stateOf(String commit) {
    return patch(commit).state();
  }

  public String get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(url() + path)).build(), HttpResponse.BodyHandlers.ofString()).body();
  }

  public HttpResponse<String> post(String path, String body, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url() + path)).POST(HttpRequest.BodyPublishers.ofString(body));
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  public static void await(String what, Duration limit, BooleanSupplier condition) throws InterruptedException {
    Instant end = Instant.now().plus(limit);
    while (!condition.getAsBoolean()) {
      if (Instant.now().isAfter(end)) {
        throw new AssertionError("timed out after " + limit + " waiting for " + what);
      }
      Thread.sleep(50);
    }
  }

  public String agentOutput() {
    StringBuilder b = new StringBuilder();
    agents.forEach(a -> b.append(a.output()).append("\n----\n"));
    return b.toString();
  }

  static int freePort() {
    try (var s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() throws IOException {
    for (JvmProcess a : agents) {
      a.close();
    }
    if (ci != null) {
      stopServer();
    }
    if (serverJvm != null) {
      serverJvm.close();
    }
    slack.close();
  }
}
