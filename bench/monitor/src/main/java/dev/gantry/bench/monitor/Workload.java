package dev.gantry.bench.monitor;

import dev.gantry.monitor.client.Event;
import dev.gantry.monitor.client.proto.Msg;
import dev.gantry.monitor.client.proto.MsgCodec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Pre-encoded frames of 100 events shaped like the seed's traffic: collectd metrics from
 * 100 hosts (cpu, memory, load, interfaces, disks below the alert threshold) and
 * application HTTP request events, so every built-in rule has work to do.
 */
final class Workload {
  static final int BATCH = 100;
  private static final String[] SERVICES = {
      "cpu-0/cpu-user", "cpu-0/cpu-system", "cpu-0/cpu-idle", "cpu-1/cpu-user", "cpu-1/cpu-system", "cpu-1/cpu-idle",
      "memory/memory-used", "memory/memory-free", "memory/memory-cached", "load/load/shortterm", "load/load/midterm",
      "interface-eth0/if_octets/rx", "interface-eth0/if_octets/tx", "interface-eth0/if_packets/rx",
      "df-root/percent_bytes-used", "df-root/percent_bytes-free", "df-data/percent_bytes-used",
      "disk-sda/disk_octets/read", "disk-sda/disk_octets/write", "processes/ps_state-running"};

  private Workload() {}

  static List<byte[]> frames(int count, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    long now = Instant.now().getEpochSecond() * 1_000_000L;
    List<byte[]> frames = new ArrayList<>(count);
    for (int f = 0; f < count; f++) {
      List<Event> batch = new ArrayList<>(BATCH);
      for (int i = 0; i < BATCH; i++) {
        String host = "web-" + String.format("%03d", rnd.nextInt(100)) + ".example.com";
        if (i % 10 == 0) {
          boolean error = rnd.nextInt(100) == 0;
          batch.add(Event.builder().host(host).service("capital http").timeMicros(now).ttl(300)
              .metric(5 + rnd.nextDouble() * 50).tags("http").attribute("status", error ? "500" : "200").build());
        } else {
          String svc = SERVICES[rnd.nextInt(SERVICES.length)];
          double metric = svc.startsWith("df-") ? 20 + rnd.nextDouble() * 50 : rnd.nextDouble() * 100;
          batch.add(Event.builder().host(host).service(svc).state("ok").timeMicros(now).ttl(300).metric(metric)
              .tags("collectd").build());
        }
      }
      frames.add(MsgCodec.encodeFramed(Msg.ofEvents(batch)));
    }
    return frames;
  }

  /** Events with distinct (host, service), as collectd would send them, for the memory measure. */
  static byte[] distinctFrame(int start, int n) {
    long now = Instant.now().getEpochSecond() * 1_000_000L;
    List<Event> batch = new ArrayList<>(n);
    for (int i = start; i < start + n; i++) {
      batch.add(Event.builder().host("host-" + (i / 50) + ".example.com").service(SERVICES[i % SERVICES.length] + "-" + (i % 50))
          .state("ok").timeMicros(now).ttl(3600).metric((double) i).tags("collectd").build());
    }
    return MsgCodec.encode(Msg.ofEvents(batch));
  }
}
