package dev.gantry.monitor.web;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gantry.monitor.history.HostRates;
import dev.gantry.monitor.history.SeriesPoints;
import java.time.Duration;
import java.util.List;

/**
 * The history and the event rates as the dashboard's charts take them: times in epoch
 * seconds (uPlot's x axis), values beside.
 *
 * <pre>{@code
 * {"windowSeconds":3600,"truncated":false,"series":[{"host":"web1","service":"cpu","times":[1764590400.5],"values":[3.5]}]}
 * {"startSecond":1764590100,"bucketSeconds":10,"hosts":[{"host":"web1","perSecond":[0.1, ...]}]}
 * }</pre>
 */
final class HistoryJson {
  private HistoryJson() {}

  static String series(List<SeriesPoints> series, Duration window, boolean truncated) {
    ObjectNode root = EventJson.JSON.createObjectNode();
    root.put("windowSeconds", window.toSeconds());
    root.put("truncated", truncated);
    ArrayNode all = root.putArray("series");
    for (SeriesPoints p : series) {
      ObjectNode n = all.addObject();
      n.put("host", p.host());
      n.put("service", p.service());
      ArrayNode times = n.putArray("times");
      for (long t : p.timesMicros()) {
        times.add(t / 1e6);
      }
      ArrayNode values = n.putArray("values");
      for (double v : p.values()) {
        values.add(v);
      }
    }
    return root.toString();
  }

  static String rates(HostRates.Rates rates) {
    ObjectNode root = EventJson.JSON.createObjectNode();
    root.put("startSecond", rates.startSecond());
    root.put("bucketSeconds", rates.bucketSeconds());
    ArrayNode hosts = root.putArray("hosts");
    for (HostRates.HostRate h : rates.hosts()) {
      ObjectNode n = hosts.addObject();
      n.put("host", h.host());
      ArrayNode per = n.putArray("perSecond");
      for (double v : h.perSecond()) {
        per.add(v);
      }
    }
    return root.toString();
  }
}
