package dev.gantry.monitor.cli;

import dev.gantry.core.UserError;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The shared shape of the monitor commands: run; a failure to reach the monitor is a {@link UserError}. */
abstract class Commands implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  PrintWriter out() {
    return spec.commandLine().getOut();
  }

  @Override
  public final Integer call() {
    try {
      run();
      return 0;
    } catch (java.io.IOException e) {
      throw new UserError(e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName(), e);
    }
  }

  abstract void run() throws java.io.IOException;
}
