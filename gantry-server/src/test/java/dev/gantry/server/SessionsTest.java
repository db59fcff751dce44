package dev.gantry.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SessionsTest {
  static final Instant T0 = Instant.parse("2026-12-01T08:00:00Z");

  /** The time now, as the test moves it. */
  Instant now = T0;

  void advance(Duration d) {
    now = now.plus(d);
  }

  final Sessions sessions = new Sessions(new SessionPolicy(Duration.ofHours(12), Duration.ofDays(7)), () -> now);

  @Test
  void idsAreLongRandomAndUrlSafe() {
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < 100; i++) {
      String id = sessions.start();
      assertThat(id).matches("[A-Za-z0-9_-]{43}");
      ids.add(id);
    }
    assertThat(ids).hasSize(100);
    assertThat(sessions.count()).isEqualTo(100);
  }

  @Test
  void aSessionLivesWhileUsedAndEndsAfterTheIdleTime() {
    String id = sessions.start();
    advance(Duration.ofHours(11));
    assertThat(sessions.touch(id)).isTrue();
    advance(Duration.ofHours(11)); // 22 h after the start, 11 h after the last use
    assertThat(sessions.touch(id)).isTrue();
    advance(Duration.ofHours(12));
    assertThat(sessions.touch(id)).isFalse();
    assertThat(sessions.find(id)).isEmpty();
    assertThat(sessions.count()).isZero();
  }

  @Test
  void aBusySessionStillEndsAfterTheAbsoluteTime() {
    String id = sessions.start();
    for (int h = 0; h < 7 * 24 - 1; h++) {
      advance(Duration.ofHours(1));
      assertThat(sessions.touch(id)).as("hour %d", h + 1).isTrue();
    }
    advance(Duration.ofHours(1));
    assertThat(sessions.touch(id)).isFalse();
  }

  @Test
  void signingOutEndsTheSessionAtOnce() {
    String id = sessions.start();
    String other = sessions.start();
    sessions.end(id);
    assertThat(sessions.touch(id)).isFalse();
    assertThat(sessions.touch(other)).isTrue();
    sessions.end(id); // twice is fine
    sessions.end(null);
    sessions.end("not an id");
  }

  @Test
  void forgedAndMalformedIdsAreRefused() {
    String id = sessions.start();
    String forged = (id.charAt(0) == 'A' ? 'B' : 'A') + id.substring(1);
    assertThat(sessions.touch(forged)).isFalse();
    assertThat(sessions.touch(null)).isFalse();
    assertThat(sessions.touch("")).isFalse();
    assertThat(sessions.touch(id + "x")).isFalse();
    assertThat(sessions.touch("../../etc/passwd")).isFalse();
    assertThat(sessions.touch("x".repeat(10_000))).isFalse();
    assertThat(sessions.touch(id)).isTrue();
  }

  @Test
  void theLeastRecentlyUsedGoesWhenTheCapIsReached() {
    String first = sessions.start();
    advance(Duration.ofSeconds(1));
    String second = sessions.start();
    for (int i = 2; i < Sessions.MAX; i++) {
      advance(Duration.ofMillis(1));
      sessions.start();
    }
    advance(Duration.ofSeconds(1));
    assertThat(sessions.touch(second)).isTrue();
    sessions.start();
    assertThat(sessions.count()).isEqualTo(Sessions.MAX);
    assertThat(sessions.touch(first)).isFalse();
    assertThat(sessions.touch(second)).isTrue();
  }

  @Test
  void lifetimesMustBePositive() {
    assertThatThrownBy(() -> new SessionPolicy(Duration.ZERO, Duration.ofDays(1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("positive");
    assertThatThrownBy(() -> new SessionPolicy(Duration.ofHours(1), Duration.ofHours(-1)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theSessionEndsAtTheEarlierOfIdleAndAbsolute() {
    SessionPolicy p = new SessionPolicy(Duration.ofHours(12), Duration.ofDays(7));
    assertThat(p.end(T0, T0)).isEqualTo(T0.plus(Duration.ofHours(12)));
    Instant late = T0.plus(Duration.ofDays(7)).minus(Duration.ofHours(1));
    assertThat(p.end(T0, late)).isEqualTo(T0.plus(Duration.ofDays(7)));
    assertThat(p.live(T0, T0, T0.minusSeconds(1))).as("made in the future of the clock").isFalse();
  }
}
