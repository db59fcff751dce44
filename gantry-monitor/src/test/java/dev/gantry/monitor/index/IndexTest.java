package dev.gantry.monitor.index;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.monitor.client.Event;
import java.util.List;
import org.junit.jupiter.api.Test;

class IndexTest {
  private static final long SECOND = 1_000_000L;

  private static Event event(String service, long timeMicros) {
    return Event.builder().host("web1").service(service).timeMicros(timeMicros).ttl(10).metric(1.0).build();
  }

  @Test
  void expiresWhatOutlivedItsTtlAsExpiredEventsAtTheGivenTime() {
    Index index = new Index(60);
    index.put(event("old", 0));
    index.put(event("fresh", 5 * SECOND));

    List<Event> expired = index.expire(12 * SECOND);

    assertThat(expired).singleElement().satisfies(e -> {
      assertThat(e.service()).isEqualTo("old");
      assertThat(e.state()).isEqualTo(Index.EXPIRED);
      assertThat(e.timeMicros()).isEqualTo(12 * SECOND);
    });
    assertThat(index.get(new IndexKey("web1", "old"))).isNull();
    assertThat(index.get(new IndexKey("web1", "fresh"))).isNotNull();
    assertThat(index.countForHost("web1")).isEqualTo(1);
  }

  @Test
  void aCandidateRefreshedAfterItWasFoundStays() {
    Index index = new Index(60);
    index.put(event("cpu", 0));
    index.put(event("load", 0));

    // found outlived while events still arrive; one of them arrives again before the expiry
    List<IndexSlot> candidates = index.expiring(12 * SECOND);
    assertThat(candidates).hasSize(2);
    index.put(event("cpu", 11 * SECOND));

    List<Event> expired = index.expire(12 * SECOND, candidates);

    assertThat(expired).extracting(Event::service).containsExactly("load");
    assertThat(index.get(new IndexKey("web1", "cpu")).timeMicros()).isEqualTo(11 * SECOND);
    assertThat(index.size()).isEqualTo(1);
  }

  @Test
  void aCandidateRemovedAndIndexedAnewIsNotTakenForTheOldOne() {
    Index index = new Index(60);
    index.put(event("cpu", 0));
    List<IndexSlot> candidates = index.expiring(12 * SECOND);
    index.remove(new IndexKey("web1", "cpu"));
    index.put(event("cpu", 0)); // a new slot for the key, itself outlived but not among the candidates

    assertThat(index.expire(12 * SECOND, candidates)).isEmpty();
    assertThat(index.size()).isEqualTo(1);
  }
}
