package dev.gantry.monitor.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.monitor.client.Event;
import org.junit.jupiter.api.Test;

/** Events as Debian 12's collectd sent them to a capture server here, with the field its bug emptied. */
class CollectdRepairTest {
  static Event.Builder collectd(String plugin, String pluginInstance, String type, String typeInstance, String ds, int index) {
    Event.Builder b = Event.builder().host("web1").tags("collectd").ttl(2f).metric(100.0)
        .attribute("plugin", plugin).attribute("type", type).attribute("ds_name", ds)
        .attribute("ds_type", "gauge").attribute("ds_index", String.valueOf(index));
    if (pluginInstance != null) {
      b.attribute("plugin_instance", pluginInstance);
    }
    if (typeInstance != null) {
      b.attribute("type_instance", typeInstance);
    }
    return b;
  }

  @Test
  void anEmptiedServiceIsRebuiltAsCollectdNamesIt() {
    Event lost = collectd("df", "srv-full", "percent_bytes", "used", "value", 0).service("").build();
    Event fixed = CollectdRepair.repaired(lost);
    assertThat(fixed.service()).isEqualTo("df-srv-full/percent_bytes-used");
    assertThat(fixed).usingRecursiveComparison().ignoringFields("service").isEqualTo(lost);

    assertThat(CollectdRepair.repaired(collectd("memory", null, "memory", "used", "value", 0).service("").build()).service())
        .isEqualTo("memory/memory-used");
    assertThat(CollectdRepair.repaired(collectd("cpu", "0", "percent", "idle", "value", 0).build()).service())
        .as("no service at all").isEqualTo("cpu-0/percent-idle");
  }

  @Test
  void theSourceNameIsAppendedOnlyForTypesOfSeveralSources() {
    // load has three sources, interface's if_octets two: AlwaysAppendDS false still names them
    assertThat(CollectdRepair.repaired(collectd("load", null, "load", null, "shortterm", 0).service("").build()).service())
        .isEqualTo("load/load/shortterm");
    assertThat(CollectdRepair.repaired(collectd("interface", "eth0", "if_octets", null, "tx", 1).service("").build()).service())
        .isEqualTo("interface-eth0/if_octets/tx");
    // duration has one source named "seconds"
    assertThat(CollectdRepair.repaired(collectd("exec", null, "duration", null, "seconds", 0).service("").build()).service())
        .isEqualTo("exec/duration");
  }

  @Test
  void aBlankStateOrDescriptionIsTheBugsAndIsDropped() {
    Event e = collectd("df", "root", "df_complex", "free", "value", 0).service("df-root/df_complex-free")
        .state("").description("").build();
    Event fixed = CollectdRepair.repaired(e);
    assertThat(fixed.service()).isEqualTo("df-root/df_complex-free");
    assertThat(fixed.state()).isNull();
    assertThat(fixed.description()).isNull();
  }

  @Test
  void aValueWhoseHostWasLostIsDropped() {
    assertThat(CollectdRepair.repaired(collectd("load", null, "load", null, "midterm", 1).service("load/load/midterm")
        .host("").build())).isNull();
  }

  @Test
  void soundEventsAndOtherSendersAreLeftAsTheyCame() {
    Event sound = collectd("df", "root", "df_complex", "free", "value", 0).service("df-root/df_complex-free").build();
    assertThat(CollectdRepair.repaired(sound)).isSameAs(sound);
    // not collectd's: an application may well send an empty state or service
    Event app = Event.builder().host("web1").service("").state("").attribute("plugin", "mine").build();
    assertThat(CollectdRepair.repaired(app)).isSameAs(app);
    Event noHost = Event.builder().host("").service("queue depth").metric(3).build();
    assertThat(CollectdRepair.repaired(noHost)).isSameAs(noHost);
  }
}
