package dev.gantry.cloud.cli;

import dev.gantry.cloud.digitalocean.model.Region;
import dev.gantry.core.cli.Table;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code gantry cloud regions}. */
@Command(name = "regions", mixinStandardHelpOptions = true, description = "List DigitalOcean regions.")
final class RegionsCommand implements Callable<Integer> {
  @ParentCommand CloudCommand cloud;

  @Option(names = "--json", description = "Print JSON instead of a table.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    List<Region> regions = cloud.digitalOcean().catalog().regions();
    if (json) {
      cloud.environment().out().println(CloudCommand.json().writeValueAsString(regions));
      return 0;
    }
    Table t = new Table("SLUG", "NAME", "AVAILABLE", "SIZES");
    regions.forEach(r -> t.row(r.slug(), r.name(), r.available() ? "yes" : "no", r.sizes().size()));
    cloud.environment().out().print(t.render());
    return 0;
  }
}
