package dev.gantry.monitor.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gantry.core.UserError;
import dev.gantry.core.json.Json;
import dev.gantry.monitor.client.Event;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Events as JSON the way Riemann's HTTP and WebSocket interfaces (and riemann-dash) use
 * them: the fields by name, {@code time} as ISO-8601, custom attributes as top-level keys.
 *
 * <pre>{@code
 * String json = EventJson.write(event);
 * List<Event> events = EventJson.readLines(body, nowMicros);
 * }</pre>
 */
public final class EventJson {
  static final ObjectMapper JSON = Json.mapper();
  private static final Set<String> FIELDS = Set.of("host", "service", "state", "description", "metric", "tags", "ttl",
      "time", "attributes");

  private EventJson() {}

  public static ObjectNode node(Event e) {
    ObjectNode n = JSON.createObjectNode();
    n.put("host", e.host());
    n.put("service", e.service());
    n.put("state", e.state());
    n.put("description", e.description());
    Number m = e.metric();
    if (m == null) {
      n.putNull("metric");
    } else if (m instanceof Long l) {
      n.put("metric", l);
    } else if (Double.isFinite(m.doubleValue())) {
      n.put("metric", m.doubleValue());
    } else {
      n.put("metric", m.toString());
    }
    ArrayNode tags = n.putArray("tags");
    e.tags().forEach(tags::add);
    n.put("time", e.time().toString());
    if (e.hasTtl()) {
      n.put("ttl", e.ttl());
    } else {
      n.putNull("ttl");
    }
    for (Map.Entry<String, String> a : e.attributes().entrySet()) {
      if (!FIELDS.contains(a.getKey())) {
        n.put(a.getKey(), a.getValue());
      }
    }
    return n;
  }

  public static String write(Event e) {
    return node(e).toString();
  }

  public static String writeAll(List<Event> events) {
    ArrayNode a = JSON.createArrayNode();
    events.forEach(e -> a.add(node(e)));
    return a.toString();
  }

  /**
   * Reads newline-delimited JSON events; every line must be valid or the whole body is
   * refused with a {@link UserError} naming the line and the field.
   */
  public static List<Event> readLines(String body, long nowMicros) {
    List<Event> out = new ArrayList<>();
    String[] lines = body.split("\r?\n");
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].trim();
      if (line.isEmpty()) {
        continue;
      }
      JsonNode node;
      try {
        node = JSON.readTree(line);
      } catch (JsonProcessingException e) {
        throw new UserError("line " + (i + 1) + ": not JSON: " + e.getOriginalMessage());
      }
      out.add(read(node, nowMicros, "line " + (i + 1)));
    }
    return out;
  }

  static Event read(JsonNode node, long nowMicros, String where) {
    if (!node.isObject()) {
      throw new UserError(where + ": an event must be a JSON object");
    }
    Event.Builder b = Event.builder().timeMicros(nowMicros);
    b.host(text(node, "host", where));
    b.service(text(node, "service", where));
    b.state(text(node, "state", where));
    b.description(text(node, "description", where));
    JsonNode metric = node.get("metric");
    if (metric != null && !metric.isNull()) {
      if (!metric.isNumber()) {
        throw new UserError(where + ": metric must be a number, got " + metric);
      }
      if (metric.isIntegralNumber() && metric.canConvertToLong()) {
        b.metric(metric.longValue());
      } else {
        b.metric(metric.doubleValue());
      }
    }
    JsonNode ttl = node.get("ttl");
    if (ttl != null && !ttl.isNull()) {
      if (!ttl.isNumber() || ttl.doubleValue() <= 0) {
        throw new UserError(where + ": ttl must be a positive number of seconds, got " + ttl);
      }
      b.ttl(ttl.floatValue());
    }
    JsonNode time = node.get("time");
    if (time != null && !time.isNull()) {
      if (time.isNumber()) {
        b.timeMicros((long) (time.doubleValue() * 1_000_000L));
      } else if (time.isTextual()) {
        try {
          b.time(Instant.parse(time.textValue()));
        } catch (DateTimeParseException e) {
          throw new UserError(where + ": time must be unix seconds or ISO-8601, got " + time);
        }
      } else {
        throw new UserError(where + ": time must be unix seconds or ISO-8601, got " + time);
      }
    }
    JsonNode tags = node.get("tags");
    if (tags != null && !tags.isNull()) {
      if (!tags.isArray()) {
        throw new UserError(where + ": tags must be an array of strings");
      }
      for (JsonNode t : tags) {
        if (!t.isTextual()) {
          throw new UserError(where + ": tags must be an array of strings, found " + t);
        }
        b.tags(t.textValue());
      }
    }
    JsonNode attrs = node.get("attributes");
    if (attrs != null && attrs.isObject()) {
      attrs.fields().forEachRemaining(f -> b.attribute(f.getKey(), f.getValue().asText()));
    }
    Iterator<Map.Entry<String, JsonNode>> it = node.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> f = it.next();
      if (!FIELDS.contains(f.getKey()) && !f.getValue().isNull()) {
        if (f.getValue().isContainerNode()) {
          throw new UserError(where + ": attribute '" + f.getKey() + "' must be a string or number");
        }
        b.attribute(f.getKey(), f.getValue().asText());
      }
    }
    return b.build();
  }

  private static String text(JsonNode node, String field, String where) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isTextual()) {
      throw new UserError(where + ": " + field + " must be a string, got " + v);
    }
    return v.textValue();
  }
}
