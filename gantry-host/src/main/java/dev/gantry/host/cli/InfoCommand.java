package dev.gantry.host.cli;

import dev.gantry.core.infra.HostSpec;
import dev.gantry.core.infra.InfraDefinition;
import dev.gantry.core.infra.Infrastructure;
import dev.gantry.core.json.Json;
import dev.gantry.host.apply.HostModel;
import dev.gantry.host.property.Property;
import dev.gantry.host.spin.SpinOptions;
import dev.gantry.host.spin.Spinner;
import dev.gantry.host.ssh.RecordedAddresses;
import dev.gantry.host.ssh.SshEndpoint;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code gantry host info [HOST...]}: what the definition says about hosts, without connecting. */
@Command(name = "info", mixinStandardHelpOptions = true,
    description = "Show hosts from the definition: address, properties, ports opened, secrets used, services to monitor.")
public final class InfoCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Parameters(arity = "0..*", paramLabel = "HOST", description = "Hosts to show (default: all).")
  List<String> hosts = new ArrayList<>();

  @Option(names = "--infra", paramLabel = "DIR", defaultValue = ".", description = "The infrastructure repository.")
  Path infra;

  @Option(names = "--json", description = "Print as JSON.")
  boolean json;

  /** One host as shown. */
  record HostInfo(String host, String ssh, int properties, List<String> describe, HostModel model) {}

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    Infrastructure i = InfraDefinition.load(infra);
    List<HostSpec> specs = hosts.isEmpty() ? i.hosts() : hosts.stream().map(i::requireHost).toList();
    RecordedAddresses recorded = RecordedAddresses.read(infra);
    List<HostInfo> infos = new ArrayList<>();
    for (HostSpec h : specs) {
      List<Property> props = HostModel.properties(h);
      SshEndpoint ep = recorded.endpoint(h);
      infos.add(new HostInfo(h.name(), ep.user() + "@" + ep.host() + ":" + ep.port(), props.size(),
          props.stream().map(Property::describe).toList(), HostModel.of(h)));
    }
    if (json) {
      out.println(Json.pretty().writeValueAsString(Map.of("hosts", infos)));
    } else {
      for (HostInfo h : infos) {
        out.println(h.host() + " (" + h.ssh() + "), " + h.properties() + " properties");
        out.println("  ports:    " + h.model().ports().stream().map(p -> p.port() + "/" + p.protocol())
            .collect(Collectors.joining(", ")));
        out.println("  secrets:  " + h.model().secrets().stream().map(Object::toString).sorted()
            .collect(Collectors.joining(", ")));
        out.println("  services: " + String.join(", ", h.model().services()));
        h.describe().forEach(d -> out.println("  - " + d));
      }
    }
    out.flush();
    return 0;
  }
}
