package dev.gantry.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code gantry up}: the whole system on this machine with embedded defaults (data in
 * {@code ./gantry-data}, HTTP on 127.0.0.1:8080), so a newcomer sees it work in one command.
 */
@Command(name = "up", mixinStandardHelpOptions = true,
    description = "Start everything on this machine with embedded defaults (data in ./gantry-data, http://127.0.0.1:8080).")
class UpCommand implements Callable<Integer> {
  @Mixin ServerOptions options;
  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    return ServerCommand.run(spec, options, Assembly.Mode.UP);
  }
}
