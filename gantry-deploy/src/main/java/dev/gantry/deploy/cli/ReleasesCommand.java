package dev.gantry.deploy.cli;

import dev.gantry.core.json.Json;
import dev.gantry.deploy.ledger.JsonLinesLedger;
import dev.gantry.deploy.ledger.ReleaseRecord;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code gantry releases [SYSTEM] [--host H] [--json]}: the release ledger, what ran
 * where and how it ended.
 */
@Command(name = "releases", mixinStandardHelpOptions = true, description = "Show the release ledger: every deploy, rollback and clone.")
public final class ReleasesCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;
  @Mixin CommonOptions common;

  @Parameters(index = "0", arity = "0..1", paramLabel = "SYSTEM") String system;

  @Option(names = "--host", paramLabel = "HOST") String host;

  @Option(names = "--json", description = "Print the entries as JSON") boolean json;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    List<ReleaseRecord> all = new JsonLinesLedger(common.dataDir().resolve("deploy/ledger.jsonl")).all().stream()
        .filter(r -> system == null || r.system().equals(system))
        .filter(r -> host == null || r.host().equals(host)).toList();
    if (json) {
      out.println(Json.writePretty(all));
      return 0;
    }
    out.printf("%-5s %-20s %-10s %-12s %-9s %-14s %-12s %s%n", "#", "time", "system", "host", "kind", "release", "outcome", "why");
    for (ReleaseRecord r : all) {
      out.printf("%-5d %-20s %-10s %-12s %-9s %-14s %-12s %s%n", r.seq(), r.at().toString().substring(0, 19), r.system(),
          r.host(), r.kind().name().toLowerCase(), r.release(), r.outcome().name().toLowerCase(),
          r.reason() == null ? "" : r.reason());
    }
    return 0;
  }
}
