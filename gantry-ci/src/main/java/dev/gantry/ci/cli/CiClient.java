package dev.gantry.ci.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.ci.api.Json;
import dev.gantry.core.UserError;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.stream.Stream;

/** The command line's HTTP client for the CI API. */
final class CiClient {
  private final String server;
  private final String token;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  CiClient(ClientOptions o) {
    this.server = o.server().replaceAll("/+$", "");
    this.token = o.token();
    if (!server.startsWith("http://") && !server.startsWith("https://")) {
      throw new UserError("--server: '" + server + "' is not an http(s) URL");
    }
  }

  JsonNode get(String path) {
    return Json.read(send(request(path).GET()), JsonNode.class);
  }

  String getText(String path) {
    return send(request(path).GET());
  }

  JsonNode post(String path, String body) {
    if (token == null || token.isBlank()) {
      throw new UserError("this command changes the queue: give the admin token with --token or GANTRY_TOKEN");
    }
    return Json.read(send(request(path).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body))), JsonNode.class);
  }

  /** Follows a server-sent-event stream, handing each event's data on until the event {@code end}. */
  void follow(String path, Consumer<String> data) {
    try {
      HttpResponse<Stream<String>> r = http.send(request(path).header("Accept", "text/event-stream").GET().build(), HttpResponse.BodyHandlers.ofLines());
      if (r.statusCode() != 200) {
        throw new UserError("the server answered " + r.statusCode() + " for " + path);
      }
      String event = "";
      for (String line : (Iterable<String>) r.body()::iterator) {
        if (line.startsWith("event:")) {
          event = line.substring(6).trim();
          if (event.equals("end")) {
            return;
          }
        } else if (line.startsWith("data:") && event.equals("log")) {
          data.accept(Json.read(line.substring(5).trim(), String.class));
        }
      }
    } catch (IOException e) {
      throw unreachable(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private HttpRequest.Builder request(String path) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server + path)).timeout(Duration.ofSeconds(60));
    if (token != null && !token.isBlank()) {
      b.header("Authorization", "Bearer " + token);
    }
    return b;
  }

  private String send(HttpRequest.Builder b) {
    try {
      HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() == 401) {
        throw new UserError("the server refused the token (401): check --token or GANTRY_TOKEN");
      }
      if (r.statusCode() / 100 != 2) {
        String msg = r.body();
        try {
          JsonNode n = Json.read(r.body(), JsonNode.class);
          if (n.has("error")) {
            msg = n.get("error").asText();
          }
        } catch (IllegalArgumentException e) {
          // not JSON: show the body as it is
        }
        throw new UserError(msg.isBlank() ? "the server answered " + r.statusCode() : msg);
      }
      return r.body();
    } catch (IOException e) {
      throw unreachable(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UserError("interrupted");
    }
  }

  private UserError unreachable(IOException e) {
    String why = e instanceof ConnectException ? "connection refused" : e.getMessage();
    return new UserError("cannot reach the Gantry server at " + server + " (" + why + "); is it running? (--server / GANTRY_SERVER)");
  }
}
