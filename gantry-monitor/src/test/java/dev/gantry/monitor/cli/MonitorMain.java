package dev.gantry.monitor.cli;

import dev.gantry.core.cli.ErrorHandler;
import picocli.CommandLine;

/** Runs {@code gantry monitor} in its own JVM for the tests (the real entry point is gantry-cli's). */
public final class MonitorMain {
  private MonitorMain() {}

  public static void main(String[] args) {
    System.exit(ErrorHandler.install(new CommandLine(new MonitorCommand())).execute(args));
  }
}
