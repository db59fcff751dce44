package dev.gantry.cloud.cli;

import dev.gantry.cloud.lab.LabProvider;
import dev.gantry.cloud.provider.Machine;
import dev.gantry.cloud.provision.LabProvisioning;
import dev.gantry.core.cli.Table;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code gantry cloud lab}: the lab hosts on this machine. */
@Command(name = "lab", mixinStandardHelpOptions = true, description = "List the lab hosts on this machine.")
final class LabHostsCommand implements Callable<Integer> {
  @ParentCommand CloudCommand cloud;

  @Option(names = "--json", description = "Print JSON instead of a table.")
  boolean json;

  /** One lab host in JSON. */
  record Row(String name, String address, String namespace, String status) {}

  @Override
  public Integer call() throws Exception {
    List<Machine> hosts = new LabProvider(cloud.dataDir(), LabProvisioning.defaults(), cloud.environment().env()).list();
    if (json) {
      List<Row> rows = hosts.stream().map(m -> new Row(m.name(), m.address().orElse(null), m.id(), m.status())).toList();
      cloud.environment().out().println(CloudCommand.json().writeValueAsString(rows));
      return 0;
    }
    Table t = new Table("NAME", "ADDRESS", "NAMESPACE", "STATUS");
    hosts.forEach(m -> t.row(m.name(), m.address().orElse(""), m.id(), m.status()));
    cloud.environment().out().print(t.render());
    return 0;
  }
}
