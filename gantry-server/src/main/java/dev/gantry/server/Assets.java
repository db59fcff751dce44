package dev.gantry.server;

import io.javalin.http.Context;
import io.javalin.http.NotFoundResponse;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

/**
 * Serves {@code /assets/*} from the class path folder {@code /web/assets}, looked up in
 * every jar, so each module can ship its own scripts and styles under
 * {@code /web/assets/<module>/}.
 */
final class Assets {
  private static final Map<String, String> TYPES = Map.of(
      "css", "text/css; charset=utf-8",
      "js", "text/javascript; charset=utf-8",
      "svg", "image/svg+xml",
      "png", "image/png",
      "ico", "image/x-icon",
      "html", "text/html; charset=utf-8",
      "json", "application/json");

  private Assets() {}

  static void serve(Context ctx) throws IOException {
    serve(ctx, ctx.pathParam("path"));
  }

  /** Serves the asset at {@code path} (below {@code /web/assets}). */
  static void serve(Context ctx, String path) throws IOException {
    if (path.isEmpty() || path.contains("..") || path.contains("\\") || path.startsWith("/")) {
      throw new NotFoundResponse("no such asset");
    }
    InputStream in = Assets.class.getResourceAsStream("/web/assets/" + path);
    if (in == null) {
      throw new NotFoundResponse("no such asset: " + path);
    }
    int dot = path.lastIndexOf('.');
    String type = dot < 0 ? null : TYPES.get(path.substring(dot + 1));
    ctx.contentType(type == null ? "application/octet-stream" : type);
    ctx.header("Cache-Control", "public, max-age=300");
    try (in) {
      ctx.result(in.readAllBytes());
    }
  }
}
