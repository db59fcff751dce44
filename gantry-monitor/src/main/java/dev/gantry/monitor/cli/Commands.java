package dev.gantry.monitor.cli;

import dev.gantry.core.UserError;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The shared shape of the monitor commands: run, print a user error without a trace, exit 1. */
abstract class Commands implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  PrintWriter out() {
    return spec.commandLine().getOut();
  }

  PrintWriter err() {
    return spec.commandLine().getErr();
  }

  @Override
  public final Integer call() {
    try {
      run();
      return 0;
    } catch (UserError e) {
      err().println(e.getMessage());
      err().flush();
      return 1;
    } catch (java.io.IOException e) {
      err().println(e.getMessage());
      err().flush();
      return 1;
    }
  }

  abstract void run() throws java.io.IOException;
}
