package dev.gantry.server;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The browsers signed in with the admin token, kept in memory: a random id per sign-in (the
 * cookie's value), when it was made and last used. A restart signs everyone out.
 *
 * <pre>{@code
 * Sessions sessions = new Sessions(SessionPolicy.DEFAULT, Clock.systemUTC());
 * String id = sessions.start();          // after the token was checked
 * sessions.touch(id);                    // true while live; extends the idle time
 * sessions.end(id);                      // sign-out: the id is refused from now on
 * }</pre>
 */
public final class Sessions {
  /** The most sessions kept; the least recently used goes first. The token is needed to make one. */
  static final int MAX = 1_000;
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{43}");

  private final SessionPolicy policy;
  private final InstantSource clock;
  private final SecureRandom random = new SecureRandom();
  // keyed by a hash of the id: a lookup reveals nothing about ids through timing
  private final Map<String, Session> live = new ConcurrentHashMap<>();

  public Sessions(SessionPolicy policy, InstantSource clock) {
    this.policy = policy;
    this.clock = clock;
  }

  /** When a session was made and last used. */
  public record Session(Instant created, Instant lastSeen) {}

  /** A new session; returns its id (256 random bits, URL-safe base64). */
  public String start() {
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    String id = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    Instant now = clock.instant();
    if (live.size() >= MAX) {
      dropExpired(now);
      while (live.size() >= MAX) {
        live.entrySet().stream().min(Comparator.comparing(e -> e.getValue().lastSeen()))
            .ifPresent(e -> live.remove(e.getKey()));
      }
    }
    live.put(key(id), new Session(now, now));
    return id;
  }

  /** True when {@code id} names a live session, which then counts as used now; an ended one is forgotten. */
  public boolean touch(String id) {
    if (id == null || !ID.matcher(id).matches()) {
      return false;
    }
    Instant now = clock.instant();
    Session s = live.computeIfPresent(key(id), (k, v) -> policy.live(v.created(), v.lastSeen(), now)
        ? new Session(v.created(), now) : null);
    return s != null;
  }

  /** The live session named {@code id}, without counting it as used. */
  public Optional<Session> find(String id) {
    if (id == null || !ID.matcher(id).matches()) {
      return Optional.empty();
    }
    Session s = live.get(key(id));
    return s != null && policy.live(s.created(), s.lastSeen(), clock.instant()) ? Optional.of(s) : Optional.empty();
  }

  /** Ends the session (sign-out); unknown ids are ignored. */
  public void end(String id) {
    if (id != null && ID.matcher(id).matches()) {
      live.remove(key(id));
    }
  }

  /** Live sessions now. */
  public int count() {
    dropExpired(clock.instant());
    return live.size();
  }

  public SessionPolicy policy() {
    return policy;
  }

  private void dropExpired(Instant now) {
    live.values().removeIf(s -> !policy.live(s.created(), s.lastSeen(), now));
  }

  private static String key(String id) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.US_ASCII)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  @Override
  public String toString() {
    return "Sessions[" + live.size() + " kept, " + policy + "]";
  }
}
