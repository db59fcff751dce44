package dev.gantry.monitor.index;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.monitor.client.Event;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SlotTableTest {
  private static IndexSlot slot(String host, String service) {
    return new IndexSlot(new IndexKey(host, service), Event.builder().host(host).service(service).timeMicros(0).build());
  }

  private static IndexSlot find(SlotTable t, String host, String service) {
    return t.find(host, service);
  }

  @Test
  void findsEverySlotThroughGrowthAndRemovalsAsAMapWould() {
    modelCheck(300, 13);
  }

  @Test
  void findsEverySlotInASmallTableWhoseRunsWrapAround() {
    // at most 32 keys: the table stays at 64 places, half full, and runs often pass its end
    modelCheck(4, 7);
  }

  private static void modelCheck(int servicesPerHost, long seed) {
    // "Aa" and "BB" have the same String hash, so their keys collide; null parts are keys too
    String[] hosts = {"Aa", "BB", "web1", "web2", null, "AaAa", "BBBB", "AaBB"};
    SplittableRandom rnd = new SplittableRandom(seed);
    SlotTable table = new SlotTable();
    Map<IndexKey, IndexSlot> model = new HashMap<>();
    for (int op = 0; op < 200_000; op++) {
      String host = hosts[rnd.nextInt(hosts.length)];
      String service = rnd.nextInt(20) == 0 ? null : "svc" + rnd.nextInt(servicesPerHost - 1);
      IndexKey key = new IndexKey(host, service);
      IndexSlot held = model.get(key);
      // more adds than removals at first, then the other way round: the table grows, then empties
      boolean add = rnd.nextInt(100) < (op < 100_000 ? 70 : 30);
      if (add && held == null) {
        IndexSlot s = slot(host, service);
        table.add(s);
        model.put(key, s);
      } else if (!add && held != null) {
        table.remove(held);
        model.remove(key);
      }
      assertThat(find(table, host, service)).isSameAs(model.get(key));
      if (op % 1_000 == 0) {
        for (Map.Entry<IndexKey, IndexSlot> e : model.entrySet()) {
          assertThat(find(table, e.getKey().host(), e.getKey().service())).isSameAs(e.getValue());
        }
      }
    }
    assertThat(table.size()).isEqualTo(model.size());
    for (Map.Entry<IndexKey, IndexSlot> e : model.entrySet()) {
      assertThat(find(table, e.getKey().host(), e.getKey().service())).isSameAs(e.getValue());
    }
  }

  @Test
  void removingASlotItDoesNotHoldChangesNothing() {
    SlotTable table = new SlotTable();
    IndexSlot held = slot("web1", "cpu");
    table.add(held);
    table.remove(slot("web1", "cpu")); // an equal key, another slot: the one a refresh replaced

    assertThat(find(table, "web1", "cpu")).isSameAs(held);
    assertThat(table.size()).isEqualTo(1);
  }

  @Test
  void equalStringsThatAreNotTheSameInstanceFindTheSlot() {
    SlotTable table = new SlotTable();
    List<IndexSlot> slots = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      IndexSlot s = slot("host-" + i, "cpu");
      slots.add(s);
      table.add(s);
    }
    for (int i = 0; i < 1000; i++) {
      assertThat(find(table, new String("host-" + i), new String("cpu"))).isSameAs(slots.get(i));
    }
    assertThat(find(table, "host-1000", "cpu")).isNull();
  }
}
