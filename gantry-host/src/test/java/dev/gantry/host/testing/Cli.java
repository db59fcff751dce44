package dev.gantry.host.testing;

import dev.gantry.core.cli.ErrorHandler;
import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** Runs a picocli command in-process and captures its output. */
public final class Cli {
  public record Run(int code, String out, String err) {}

  private Cli() {}

  public static Run run(Object command, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = ErrorHandler.install(new CommandLine(command));
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int code = cl.execute(args);
    return new Run(code, out.toString(), err.toString());
  }
}
