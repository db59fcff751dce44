package dev.gantry.monitor.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gantry.core.UserError;
import dev.gantry.core.json.Json;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * The monitor's HTTP API for the command line: {@code --url} (or {@code GANTRY_URL}) and
 * the admin token from {@code --token-file} or {@code GANTRY_TOKEN}. The token is never printed.
 */
final class WebApi {
  static final ObjectMapper JSON = Json.mapper();

  @Option(names = "--url", paramLabel = "URL", description = "web server of the monitor (default: $GANTRY_URL or http://127.0.0.1:8080)")
  String url;

  @Option(names = "--token-file", paramLabel = "FILE", description = "file holding the admin token (default: $GANTRY_TOKEN)")
  Path tokenFile;

  private String base() {
    String u = url != null ? url : System.getenv().getOrDefault("GANTRY_URL", "http://127.0.0.1:8080");
    return u.endsWith("/") ? u.substring(0, u.length() - 1) : u;
  }

  private String token() {
    if (tokenFile != null) {
      try {
        return Files.readString(tokenFile).trim();
      } catch (IOException e) {
        throw new UserError("--token-file: cannot read " + tokenFile + ": " + e.getMessage());
      }
    }
    String env = System.getenv("GANTRY_TOKEN");
    if (env == null || env.isBlank()) {
      throw new UserError("no admin token: set GANTRY_TOKEN or give --token-file");
    }
    return env.trim();
  }

  JsonNode get(String path) {
    return send(HttpRequest.newBuilder(uri(path)).GET());
  }

  JsonNode post(String path, String json) {
    return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json)));
  }

  JsonNode delete(String path) {
    return send(HttpRequest.newBuilder(uri(path)).DELETE());
  }

  private URI uri(String path) {
    try {
      return URI.create(base() + path);
    } catch (IllegalArgumentException e) {
      throw new UserError("--url: '" + base() + "' is not a URL");
    }
  }

  private JsonNode send(HttpRequest.Builder req) {
    HttpRequest r = req.header("Authorization", "Bearer " + token()).timeout(Duration.ofSeconds(30)).build();
    try {
      HttpResponse<String> resp = HttpClient.newHttpClient().send(r, HttpResponse.BodyHandlers.ofString());
      if (resp.statusCode() == 401) {
        throw new UserError(base() + " refused the admin token (401); check GANTRY_TOKEN or --token-file");
      }
      JsonNode body;
      try {
        body = JSON.readTree(resp.body());
      } catch (IOException e) {
        throw new UserError(base() + " answered HTTP " + resp.statusCode() + " without JSON; is it a Gantry monitor?");
      }
      if (resp.statusCode() / 100 != 2) {
        throw new UserError(body.has("error") ? body.get("error").asText() : "HTTP " + resp.statusCode());
      }
      return body;
    } catch (ConnectException e) {
      throw new UserError("cannot reach " + base() + " (connection refused); is the monitor running?");
    } catch (IOException e) {
      throw new UserError("cannot reach " + base() + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UserError("interrupted");
    }
  }
}
