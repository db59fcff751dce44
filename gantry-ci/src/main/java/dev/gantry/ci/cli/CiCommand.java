package dev.gantry.ci.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.ci.hook.HookInstaller;
import dev.gantry.ci.api.Json;
import dev.gantry.core.UserError;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code gantry ci}: look at and steer the patch queue of a running server.
 *
 * <pre>
 * gantry ci status --json
 * gantry ci submit review/login --token $TOKEN
 * gantry ci submit review/fix-build --urgent --token $TOKEN
 * gantry ci install-hook /srv/git/app.git --server http://ci.example.com:8080
 * </pre>
 */
@Command(name = "ci", mixinStandardHelpOptions = true, description = "The gated CI: the patch queue, its runs and the git hook.",
    subcommands = {
        CiCommand.Status.class, CiCommand.Submit.class, CiCommand.Retry.class, CiCommand.Remove.class, CiCommand.Pause.class,
        CiCommand.Resume.class, CiCommand.Logs.class, CiCommand.InstallHook.class})
public final class CiCommand implements Callable<Integer> {
  @Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getOut());
    return 2;
  }

  /**
   * Runs {@code body}; a failure to reach the server (a checked exception) becomes a
   * {@link UserError} naming it, anything else is left to the command line's one handler.
   */
  static int run(CommandLine.Model.CommandSpec spec, Callable<Integer> body) {
    try {
      return body.call();
    } catch (RuntimeException e) {
      throw e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UserError("interrupted", e);
    } catch (Exception e) {
      throw new UserError(e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName(), e);
    }
  }

  static void print(CommandLine.Model.CommandSpec spec, JsonNode node) {
    spec.commandLine().getOut().println(node.toPrettyString());
  }

  @Command(name = "status", mixinStandardHelpOptions = true, description = "Show the queue: active candidate, patches, agents.")
  static final class Status implements Callable<Integer> {
    @Mixin ClientOptions client;
    @Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      return run(spec, () -> {
        JsonNode s = new CiClient(client).get("/api/ci/status");
        if (client.json) {
          print(spec, s);
          return 0;
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println("master " + s.path("master").asText("-") + (s.path("paused").asBoolean() ? "  PAUSED: " + s.path("pauseReason").asText() : ""));
        JsonNode a = s.path("active");
        if (a.isObject()) {
          out.println("candidate " + a.path("id").asText() + " " + a.path("status").asText().toLowerCase()
              + (a.path("probe").asBoolean() ? " (bisection probe for " + a.path("probeStep").asText() + ")" : "") + " patches " + a.path("patches"));
          for (JsonNode j : s.path("jobs")) {
            out.printf("  run %-6s %-20s %-9s %s%n", j.path("id").asText(), j.path("step").asText(), j.path("status").asText().toLowerCase(),
                j.path("agent").asText(""));
            String why = s.path("waiting").path(j.path("id").asText()).asText("");
            if (!why.isEmpty()) {
              out.println("             " + why);
            }
          }
        } else {
          out.println("no active candidate");
        }
        for (JsonNode p : s.path("patches")) {
          out.printf("#%-5s %-24s %-10s %-11s %s%s%n", p.path("id").asText(), p.path("branch").asText(), p.path("commit").asText().substring(0, 10),
              p.path("state").asText().toLowerCase(), (p.path("urgent").asBoolean() ? "[urgent] " : "") + p.path("subject").asText(), p.path("reason").asText().isEmpty() ? "" : " - " + p.path("reason").asText());
        }
        for (JsonNode ag : s.path("agents")) {
          out.println("agent " + ag.path("name").asText() + (ag.path("online").asBoolean() ? " online" : " offline") + " running " + ag.path("running"));
        }
        return 0;
      });
    }
  }

  @Command(name = "submit", mixinStandardHelpOptions = true, description = "Queue the head of a branch of the central repository by hand.")
  static final class Submit implements Callable<Integer> {
    @Mixin ClientOptions client;
    @Spec CommandLine.Model.CommandSpec spec;
    @Parameters(paramLabel = "BRANCH", description = "e.g. review/login") String ref;
    @Option(names = "--urgent", description = "the priority lane: tested alone, ahead of the queue (as review/hotfix/* is)") boolean urgent;

    @Override
    public Integer call() {
      return run(spec, () -> {
        JsonNode r = new CiClient(client).post("/api/ci/submit", Json.write(Map.of("ref", ref, "urgent", urgent)));
        if (client.json) {
          print(spec, r);
        } else if (r.path("queued").asBoolean()) {
          spec.commandLine().getOut().println("queued patch #" + r.path("patch").path("id").asText() + " (" + ref + ")"
              + (r.path("patch").path("urgent").asBoolean() ? " in the priority lane" : ""));
        } else {
          spec.commandLine().getOut().println(r.path("message").asText());
        }
        return 0;
      });
    }
  }

  @Command(name = "retry", mixinStandardHelpOptions = true, description = "Put a rejected or removed patch back in the queue.")
  static final class Retry implements Callable<Integer> {
    @Mixin ClientOptions client;
    @Spec CommandLine.Model.CommandSpec spec;
    @Parameters(paramLabel = "PATCH") long id;

    @Override
    public Integer call() {
      return run(spec, () -> patchAction(spec, client, "/api/ci/patches/" + id + "/retry"));
    }
  }

  @Command(name = "remove", mixinStandardHelpOptions = true, description = "Take a patch out of the queue.")
  static final class Remove implements Callable<Integer> {
    @Mixin ClientOptions client;
    @Spec CommandLine.Model.CommandSpec spec;
    @Parameters(paramLabel = "PATCH") long id;

    @Override
    public Integer call() {
      return run(spec, () -> patchAction(spec, client, "/api/ci/patches/" + id + "/remove"));
    }
  }

  static int patchAction(CommandLine.Model.CommandSpec spec, ClientOptions client, String path) {
    JsonNode p = new CiClient(client).post(path, "");
    if (client.json) {
      print(spec, p);
    } else {
      spec.commandLine().getOut().println("patch #" + p.path("id").asText() + " is now " + p.path("state").asText().toLowerCase());
    }
    return 0;
  }

  @Command(name = "pause", mixinStandardHelpOptions = true, description = "Stop starting new candidates (the active one finishes).")
  static final class Pause implements Callable<Integer> {
    @Mixin ClientOptions client;
    @Spec CommandLine.Model.CommandSpec spec;
    @Option(names = "--reason", description = "shown on the queue page") String reason = "";

    @Override
    public Integer call() {
      return run(spec, () -> {
        JsonNode s = new CiClient(client).post("/api/ci/pause", Json.write(Map.of("reason", reason)));
        if (client.json) {
          print(spec, s);
        } else {
          spec.commandLine().getOut().println("the queue is paused: " + s.path("pauseReason").asText());
        }
        return 0;
      });
    }
  }

  @Command(name = "resume", mixinStandardHelpOptions = true, description = "Start candidates again.")
  static final class Resume implements Callable<Integer> {
    @Mixin ClientOptions client;
    @Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      return run(spec, () -> {
        JsonNode s = new CiClient(client).post("/api/ci/resume", "");
        if (client.json) {
          print(spec, s);
        } else {
          spec.commandLine().getOut().println("the queue runs");
        }
        return 0;
      });
    }
  }

  @Command(name = "logs", mixinStandardHelpOptions = true, description = "Print the log of a run.")
  static final class Logs implements Callable<Integer> {
    @Mixin ClientOptions client;
    @Spec CommandLine.Model.CommandSpec spec;
    @Parameters(paramLabel = "RUN") long run;
    @Option(names = {"-f", "--follow"}, description = "keep printing while the run goes on") boolean follow;

    @Override
    public Integer call() {
      return run(spec, () -> {
        CiClient c = new CiClient(client);
        PrintWriter out = spec.commandLine().getOut();
        if (client.json) {
          print(spec, Json.MAPPER.valueToTree(Map.of("run", run, "log", c.getText("/api/ci/runs/" + run + "/log"))));
        } else if (follow) {
          c.getText("/api/ci/runs/" + run + "/log"); // 404 for an unknown run, before streaming
          c.follow("/ci/runs/" + run + "/stream", text -> {
            out.print(text);
            out.flush();
          });
        } else {
          out.print(c.getText("/api/ci/runs/" + run + "/log"));
        }
        out.flush();
        return 0;
      });
    }
  }

  @Command(name = "install-hook", mixinStandardHelpOptions = true,
      description = "Write the hooks of a bare repository: pushes to review and review/* reach the CI server, and only the gate moves master.")
  static final class InstallHook implements Callable<Integer> {
    @Spec CommandLine.Model.CommandSpec spec;
    @Parameters(paramLabel = "BARE_REPO") Path repo;
    @Option(names = "--server", required = true, paramLabel = "URL", description = "the CI server as the git host reaches it") URI server;
    @Option(names = "--secret-file", paramLabel = "FILE", description = "file holding the hook secret (default: $GANTRY_CI_HOOK_SECRET)") Path secretFile;
    @Option(names = "--force", description = "replace a post-receive hook that Gantry did not write") boolean force;
    @Option(names = "--ca", paramLabel = "FILE",
        description = "believe the https server only with a certificate this CA issued (ca/ca.crt of gantry ca); copied beside the hook")
    Path ca;

    @Override
    public Integer call() {
      return run(spec, () -> {
        String secret;
        if (secretFile != null) {
          try {
            secret = Files.readString(secretFile).strip();
          } catch (IOException e) {
            throw new UserError("--secret-file: cannot read " + secretFile + ": " + e.getMessage());
          }
        } else {
          secret = System.getenv("GANTRY_CI_HOOK_SECRET");
          if (secret == null) {
            throw new UserError("no hook secret: set GANTRY_CI_HOOK_SECRET or give --secret-file (the server's ci.hook-secret)");
          }
        }
        HookInstaller installer = ca == null ? new HookInstaller() : new HookInstaller().trustingCa(ca);
        Path hook = installer.install(repo, server, secret, force);
        spec.commandLine().getOut().println("installed " + hook + " (notifies " + server + ") and " + hook.resolveSibling("pre-receive")
            + " (master, refs/gantry/* and the notes move only through the gate)");
        return 0;
      });
    }
  }
}
