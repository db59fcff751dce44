package dev.gantry.cloud.cli;

import dev.gantry.cloud.digitalocean.model.Image;
import dev.gantry.core.cli.Table;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code gantry cloud images}: distribution images by default. */
@Command(name = "images", mixinStandardHelpOptions = true,
    description = "List images: distributions by default, --private for the account's snapshots and backups.")
final class ImagesCommand implements Callable<Integer> {
  @ParentCommand CloudCommand cloud;

  @Option(names = "--private", description = "The account's own snapshots and backups.")
  boolean own;

  @Option(names = "--json", description = "Print JSON instead of a table.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    var catalog = cloud.digitalOcean().catalog();
    List<Image> images = own ? catalog.privateImages() : catalog.images("distribution");
    if (json) {
      cloud.environment().out().println(CloudCommand.json().writeValueAsString(images));
      return 0;
    }
    Table t = new Table("ID", "SLUG", "DISTRIBUTION", "NAME");
    images.forEach(i -> t.row(i.id(), i.slug(), i.distribution(), i.name()));
    cloud.environment().out().print(t.render());
    return 0;
  }
}
