package dev.gantry.core.web;

import io.javalin.http.Context;
import io.javalin.http.UnauthorizedResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * The admin check: a request is an admin's when it carries {@code Authorization: Bearer <token>}
 * or the cookie of a live sign-in session ({@link #SESSION_COOKIE}, a random id the server
 * keeps, never the token). Comparison is in constant time; the token is never logged or echoed.
 *
 * <pre>{@code
 * app.post("/api/queue/pause", ctx -> { auth.requireAdmin(ctx); queue.pause(); });
 * }</pre>
 */
public final class Auth {
  /** Name of the cookie that carries a browser's sign-in session id. */
  public static final String SESSION_COOKIE = "gantry_session";
  /**
   * Name of a cookie an API client may set to the admin token itself where it cannot send a
   * header; the server never sets it.
   */
  public static final String COOKIE = "gantry_token";
  /** The shortest admin token accepted. */
  public static final int MIN_TOKEN_LENGTH = 16;

  private final byte[] token;
  private final Predicate<String> liveSession;

  /** Token only: no session is ever valid. */
  public Auth(String token) {
    this(token, id -> false);
  }

  /**
   * @param liveSession true for a session id that is signed in now; asked with the
   *     {@link #SESSION_COOKIE} value of a request
   */
  public Auth(String token, Predicate<String> liveSession) {
    Objects.requireNonNull(token, "token");
    if (token.length() < MIN_TOKEN_LENGTH) {
      throw new IllegalArgumentException("the admin token must have at least " + MIN_TOKEN_LENGTH + " characters");
    }
    this.token = token.getBytes(StandardCharsets.UTF_8);
    this.liveSession = Objects.requireNonNull(liveSession, "liveSession");
  }

  /** True when {@code presented} equals the admin token; constant time in the token length. */
  public boolean matches(String presented) {
    if (presented == null) {
      return false;
    }
    return MessageDigest.isEqual(token, presented.getBytes(StandardCharsets.UTF_8));
  }

  /** The token the request presents, from the Authorization header or the {@link #COOKIE} cookie. */
  public static String presented(Context ctx) {
    String header = ctx.header("Authorization");
    if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return header.substring(7).trim();
    }
    return ctx.cookie(COOKIE);
  }

  /** True when the request carries the admin token or a live session's cookie. */
  public boolean isAdmin(Context ctx) {
    if (matches(presented(ctx))) {
      return true;
    }
    String session = ctx.cookie(SESSION_COOKIE);
    return session != null && liveSession.test(session);
  }

  /** Throws 401 (with a {@code WWW-Authenticate} challenge) unless the request is an admin's. */
  public void requireAdmin(Context ctx) {
    if (!isAdmin(ctx)) {
      ctx.header("WWW-Authenticate", "Bearer realm=\"gantry\"");
      throw new UnauthorizedResponse("admin token required (Authorization: Bearer <token>)");
    }
  }
}
