package dev.gantry.monitor.cli;

import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code gantry monitor alerts}: pending, firing and recently resolved alerts.
 *
 * <pre>{@code
 * gantry monitor alerts --url http://127.0.0.1:8080 --token-file gantry-data/admin-token
 * }</pre>
 */
@Command(name = "alerts", mixinStandardHelpOptions = true, description = "List the monitor's alerts.")
public final class AlertsCommand extends Commands {
  @Mixin
  WebApi api;

  @Option(names = "--json", description = "print JSON")
  boolean json;

  @Override
  void run() {
    Output.list(out(), json, api.get("/monitor/api/alerts"),
        List.of("STATUS", "ALERT", "HOST", "SERVICE", "SEVERITY", "SUMMARY"),
        a -> List.of(Output.text(a, "status") + (a.path("silenced").asBoolean() ? " (silenced)" : ""),
            Output.text(a, "name"), Output.text(a, "host"), Output.text(a, "service"), Output.text(a, "severity"),
            Output.text(a, "summary")));
  }
}
