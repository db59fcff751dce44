package dev.gantry.cloud.cli;

import dev.gantry.cloud.digitalocean.model.Size;
import dev.gantry.core.cli.Table;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code gantry cloud sizes}. */
@Command(name = "sizes", mixinStandardHelpOptions = true, description = "List droplet sizes with their prices.")
final class SizesCommand implements Callable<Integer> {
  @ParentCommand CloudCommand cloud;

  @Option(names = "--json", description = "Print JSON instead of a table.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    List<Size> sizes = cloud.digitalOcean().catalog().sizes();
    if (json) {
      cloud.environment().out().println(CloudCommand.json().writeValueAsString(sizes));
      return 0;
    }
    Table t = new Table("SLUG", "VCPUS", "MEMORY", "DISK", "$/MONTH", "REGIONS");
    sizes.forEach(s -> t.row(s.slug(), s.vcpus(), s.memory() + " MB", s.disk() + " GB",
        String.format(Locale.ROOT, "%.2f", s.priceMonthly()), String.join(",", s.regions())));
    cloud.environment().out().print(t.render());
    return 0;
  }
}
