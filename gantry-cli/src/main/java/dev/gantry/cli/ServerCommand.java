package dev.gantry.cli;

import dev.gantry.core.config.Config;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code gantry server}: the web UI and HTTP API with the enabled capabilities, until stopped. */
@Command(name = "server", mixinStandardHelpOptions = true,
    description = "Run the Gantry server (web UI, HTTP API and the enabled capabilities) until stopped.")
class ServerCommand implements Callable<Integer> {
  @Mixin ServerOptions options;
  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    return run(spec, options, Assembly.Mode.SERVER);
  }

  /** Starts the assembly in {@code mode} with the server's flags, says what runs where, and serves until stopped. */
  static int run(CommandSpec spec, ServerOptions options, Assembly.Mode mode) throws InterruptedException {
    return serve(spec.commandLine(), options.config(spec.commandLine()), mode);
  }

  /** Starts the assembly in {@code mode} with {@code config}, says what runs where, and serves until stopped. */
  static int serve(CommandLine cmd, Config config, Assembly.Mode mode) throws InterruptedException {
    List<String> lines = new ArrayList<>();
    Assembly running = Assembly.start(config, mode, lines);
    printStarted(cmd.getOut(), running, mode, lines);
    awaitShutdown(running);
    return Main.OK;
  }

  static void printStarted(PrintWriter out, Assembly running, Assembly.Mode mode, List<String> lines) {
    running.server().ifPresentOrElse(server -> {
      out.println("Gantry is up: " + server.url());
      if (server.adminToken().created() && mode.showNewToken()) {
        out.println("  admin token (shown once; kept in " + server.adminToken().file() + "): "
            + server.adminToken().value());
      } else if (server.adminToken().created()) {
        out.println("  admin token: made in " + server.adminToken().file() + " (mode 0600)");
      } else if (server.adminToken().file() != null) {
        out.println("  admin token: in " + server.adminToken().file());
      }
    }, () -> out.println("Gantry is up, without a web server"));
    lines.forEach(l -> out.println("  " + l));
    out.println("Press Ctrl-C to stop.");
    out.flush();
  }

  /** Blocks until the JVM is asked to stop (Ctrl-C, SIGTERM), then stops everything cleanly. */
  static void awaitShutdown(Assembly running) throws InterruptedException {
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      System.err.println("stopping...");
      running.close();
      stopped.countDown();
    }, "gantry-shutdown"));
    stopped.await();
  }
}
