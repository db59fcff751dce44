package dev.gantry.cloud.cli;

import dev.gantry.cloud.digitalocean.model.Droplet;
import dev.gantry.core.cli.Table;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code gantry cloud droplets}: every droplet of the account. */
@Command(name = "droplets", mixinStandardHelpOptions = true, description = "List the account's droplets (all pages).")
final class DropletsCommand implements Callable<Integer> {
  @ParentCommand CloudCommand cloud;

  @Option(names = "--tag", paramLabel = "TAG", description = "Only droplets with this tag.")
  String tag;

  @Option(names = "--json", description = "Print JSON instead of a table.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    var client = cloud.digitalOcean();
    List<Droplet> droplets = tag == null ? client.droplets().list() : client.droplets().listByTag(tag);
    if (json) {
      cloud.environment().out().println(CloudCommand.json().writeValueAsString(droplets));
      return 0;
    }
    Table t = new Table("ID", "NAME", "STATUS", "REGION", "SIZE", "IPV4", "TAGS");
    droplets.forEach(d -> t.row(d.id(), d.name(), d.status(), d.regionSlug(), d.sizeSlug(), d.publicIpv4().orElse(""),
        String.join(",", d.tags())));
    cloud.environment().out().print(t.render());
    return 0;
  }
}
