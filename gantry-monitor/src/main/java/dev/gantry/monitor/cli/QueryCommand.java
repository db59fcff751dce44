package dev.gantry.monitor.cli;

import dev.gantry.monitor.client.Event;
import dev.gantry.monitor.client.TcpClient;
import dev.gantry.monitor.web.EventJson;
import java.io.IOException;
import java.util.Comparator;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code gantry monitor query}: the indexed events matching a query.
 *
 * <pre>{@code
 * gantry monitor query 'service =~ "df-%" and metric > 90' --json
 * }</pre>
 */
@Command(name = "query", mixinStandardHelpOptions = true, description = "Query the monitor's index, e.g. 'service =~ \"df-%%\" and metric > 90'.")
public final class QueryCommand extends Commands {
  @Mixin
  ServerAddress address;

  @Parameters(index = "0", paramLabel = "QUERY", description = "a query; 'true' lists everything")
  String query;

  @Option(names = "--json", description = "print a JSON array of events")
  boolean json;

  @Override
  void run() throws IOException {
    List<Event> events;
    try (TcpClient c = TcpClient.connect(address.host(), address.port())) {
      events = c.query(query).stream()
          .sorted(Comparator.comparing((Event e) -> String.valueOf(e.host())).thenComparing(e -> String.valueOf(e.service())))
          .toList();
    }
    if (json) {
      out().println(EventJson.writeAll(events));
      out().flush();
      return;
    }
    Output.table(out(), List.of("HOST", "SERVICE", "STATE", "METRIC", "TIME", "DESCRIPTION"), events.stream()
        .map(e -> List.of(str(e.host()), str(e.service()), str(e.state()), e.hasMetric() ? e.metric().toString() : "",
            e.time().toString(), str(e.description()).replace('\n', ' ')))
        .toList());
  }

  private static String str(String s) {
    return s == null ? "" : s;
  }
}
