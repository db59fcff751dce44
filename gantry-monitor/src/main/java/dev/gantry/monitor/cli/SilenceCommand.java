package dev.gantry.monitor.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gantry.monitor.Durations;
import dev.gantry.monitor.query.Query;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code gantry monitor silence add|list|expire}.
 *
 * <pre>{@code
 * gantry monitor silence add 'host = "web1"' --for 2h --comment "kernel upgrade"
 * }</pre>
 */
@Command(name = "silence", mixinStandardHelpOptions = true, description = "Mute alert notifications for a while.",
    subcommands = {SilenceCommand.Add.class, SilenceCommand.ListSilences.class, SilenceCommand.Expire.class})
public final class SilenceCommand implements Runnable {
  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(spec.commandLine(), "choose one of: add, list, expire");
  }

  @Command(name = "add", mixinStandardHelpOptions = true, description = "Silence the alerts matching a query, e.g. 'host = \"web1\"'.")
  static final class Add extends Commands {
    @Mixin
    WebApi api;

    @Parameters(index = "0", paramLabel = "QUERY", description = "over alertname, host, service, state")
    String query;

    @Option(names = "--for", required = true, paramLabel = "DURATION", description = "e.g. 30m, 2h, 1d")
    String duration;

    @Option(names = "--comment", defaultValue = "")
    String comment;

    @Option(names = "--author", description = "who (default: $USER)")
    String author;

    @Option(names = "--json", description = "print JSON")
    boolean json;

    @Override
    void run() {
      Query.parse(query);
      Durations.parse(duration, "--for");
      ObjectNode body = WebApi.JSON.createObjectNode().put("query", query).put("duration", duration).put("comment", comment)
          .put("author", author != null ? author : System.getenv().getOrDefault("USER", ""));
      JsonNode s = api.post("/monitor/api/silences", body.toString());
      out().println(json ? s.toString() : "silence " + s.get("id").asText() + " until " + s.get("endsAt").asText());
      out().flush();
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List the active silences.")
  static final class ListSilences extends Commands {
    @Mixin
    WebApi api;

    @Option(names = "--json", description = "print JSON")
    boolean json;

    @Override
    void run() {
      Output.list(out(), json, api.get("/monitor/api/silences"), List.of("ID", "QUERY", "UNTIL", "AUTHOR", "COMMENT"),
          s -> List.of(Output.text(s, "id"), Output.text(s, "query"), Output.text(s, "endsAt"), Output.text(s, "author"),
              Output.text(s, "comment")));
    }
  }

  @Command(name = "expire", mixinStandardHelpOptions = true, description = "End a silence now.")
  static final class Expire extends Commands {
    @Mixin
    WebApi api;

    @Parameters(index = "0", paramLabel = "ID")
    String id;

    @Override
    void run() {
      api.delete("/monitor/api/silences/" + java.net.URLEncoder.encode(id, java.nio.charset.StandardCharsets.UTF_8));
      out().println("expired " + id);
      out().flush();
    }
  }
}
