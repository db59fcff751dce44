package dev.gantry.cloud.cli;

import dev.gantry.core.UserError;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import picocli.CommandLine;

/** Runs {@code gantry cloud ...} in-process as the gantry command would: a UserError prints its message and exits 1. */
final class CliRun {
  record Outcome(int exitCode, String out, String err) {}

  private CliRun() {}

  static Outcome run(Map<String, String> env, InfraLoader loader, String stdin, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
    PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
    CloudEnvironment environment = new CloudEnvironment(env, loader, (f, c) -> java.util.Optional.empty(), o, e,
        new BufferedReader(new StringReader(stdin)));
    CommandLine cl = new CommandLine(new CloudCommand(environment));
    cl.setOut(new java.io.PrintWriter(o, true)).setErr(new java.io.PrintWriter(e, true));
    cl.setExecutionExceptionHandler((ex, line, parsed) -> {
      if (ex instanceof UserError) {
        e.println(ex.getMessage());
        return 1;
      }
      throw ex;
    });
    int code = cl.execute(args);
    return new Outcome(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }
}
