package dev.gantry.core.cli;

import dev.gantry.core.UserError;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * How every command reports what went wrong: a {@link UserError} (something the user can fix
 * or should know: bad input, a host that refused, a failed check) as {@code gantry: <message>}
 * with exit code 1 and no stack trace; anything else as an internal error, with the stack
 * trace when {@code GANTRY_DEBUG} is set. Commands throw; they do not print their own errors.
 *
 * <pre>{@code
 * int code = ErrorHandler.install(new CommandLine(new DeployCommand())).execute(args);
 * }</pre>
 */
public final class ErrorHandler implements IExecutionExceptionHandler {
  /** Exit code of a command that failed. */
  public static final int FAILURE = 1;

  /** Sets this handler on {@code cmd} (and so on its subcommands); returns {@code cmd}. */
  public static CommandLine install(CommandLine cmd) {
    return cmd.setExecutionExceptionHandler(new ErrorHandler());
  }

  @Override
  public int handleExecutionException(Exception ex, CommandLine cl, ParseResult parseResult) {
    PrintWriter err = cl.getErr();
    if (ex instanceof UserError) {
      err.println(cl.getColorScheme().errorText("gantry: " + ex.getMessage()));
    } else {
      err.println(cl.getColorScheme().errorText("gantry: internal error: " + ex));
      if (System.getenv("GANTRY_DEBUG") != null) {
        ex.printStackTrace(err);
      } else {
        err.println("(set GANTRY_DEBUG=1 to see the stack trace)");
      }
    }
    err.flush();
    return FAILURE;
  }
}
