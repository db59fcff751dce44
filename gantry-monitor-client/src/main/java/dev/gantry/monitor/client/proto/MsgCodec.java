package dev.gantry.monitor.client.proto;

import dev.gantry.monitor.client.Event;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Encodes and decodes Riemann's protobuf {@code Msg} (proto2) by hand, with the field
 * numbers of Riemann's {@code proto.proto}. Decoding follows Riemann: the metric is
 * {@code metric_sint64}, else {@code metric_d}, else {@code metric_f}; {@code time_micros}
 * wins over {@code time}; an event without a time gets {@code nowMicros}. Unknown fields
 * and the legacy {@code states} are skipped.
 *
 * <pre>{@code
 * byte[] bytes = MsgCodec.encode(Msg.ofEvents(List.of(event)));
 * Msg back = MsgCodec.decode(bytes, 0, bytes.length, nowMicros);
 * }</pre>
 */
public final class MsgCodec {
  private MsgCodec() {}

  // Msg
  private static final int MSG_OK = 2;
  private static final int MSG_ERROR = 3;
  private static final int MSG_QUERY = 5;
  private static final int MSG_EVENTS = 6;
  // Event
  private static final int EV_TIME = 1;
  private static final int EV_STATE = 2;
  private static final int EV_SERVICE = 3;
  private static final int EV_HOST = 4;
  private static final int EV_DESCRIPTION = 5;
  private static final int EV_TAGS = 7;
  private static final int EV_TTL = 8;
  private static final int EV_ATTRIBUTES = 9;
  private static final int EV_TIME_MICROS = 10;
  private static final int EV_METRIC_SINT64 = 13;
  private static final int EV_METRIC_D = 14;
  private static final int EV_METRIC_F = 15;
  // Query and Attribute
  private static final int QUERY_STRING = 1;
  private static final int ATTR_KEY = 1;
  private static final int ATTR_VALUE = 2;

  /** Decodes a whole message; throws {@link MalformedMessageException} naming the defect. */
  public static Msg decode(byte[] buf, int off, int len, long nowMicros) {
    if (off < 0 || len < 0 || off + len > buf.length) {
      throw new IllegalArgumentException("range " + off + "+" + len + " outside buffer of " + buf.length);
    }
    ProtoReader r = new ProtoReader(buf, off, len);
    Boolean ok = null;
    String error = null;
    String query = null;
    DecodedEvents events = null;
    List<String> tags = null;
    Attributes attributes = null;
    while (!r.atEnd()) {
      int tag = r.readTag("Msg");
      switch (tag >>> 3) {
        case MSG_OK -> {
          ProtoReader.expect(tag, ProtoReader.VARINT, "Msg.ok");
          ok = r.readVarint("Msg.ok") != 0;
        }
        case MSG_ERROR -> {
          ProtoReader.expect(tag, ProtoReader.LENGTH_DELIMITED, "Msg.error");
          error = r.readString("Msg.error");
        }
        case MSG_QUERY -> {
          ProtoReader.expect(tag, ProtoReader.LENGTH_DELIMITED, "Msg.query");
          int outer = r.enter("Msg.query");
          query = decodeQuery(r);
          r.leave(outer);
        }
        case MSG_EVENTS -> {
          ProtoReader.expect(tag, ProtoReader.LENGTH_DELIMITED, "Msg.events");
          if (events == null) {
            // sized for the message (an event is rarely under 48 bytes): seldom regrown
            events = new DecodedEvents(Math.max(4, len / 48));
            tags = new ArrayList<>(4);
            attributes = new Attributes();
          }
          int outer = r.enter("Msg.events");
          try {
            events.append(decodeEvent(r, nowMicros, events.last(), tags, attributes));
          } catch (MalformedMessageException e) {
            throw new MalformedMessageException("Msg.events[" + events.size() + "]: " + e.getMessage());
          }
          r.leave(outer);
        }
        default -> r.skip(tag, "Msg");
      }
    }
    return new Msg(ok, error, query, events);
  }

  private static String decodeQuery(ProtoReader r) {
    String s = null;
    while (!r.atEnd()) {
      int tag = r.readTag("Query");
      if (tag >>> 3 == QUERY_STRING) {
        ProtoReader.expect(tag, ProtoReader.LENGTH_DELIMITED, "Query.string");
        s = r.readString("Query.string");
      } else {
        r.skip(tag, "Query");
      }
    }
    return s == null ? "" : s;
  }

  /**
   * {@code previous}: the event before in the message, whose tag list this one shares when
   * equal; {@code tags} and {@code attributes}: where to decode those, reused from event to event.
   */
  private static Event decodeEvent(ProtoReader r, long nowMicros, Event previous, List<String> tags,
      Attributes attributes) {
    final String where = "Event";
    String host = null;
    String service = null;
    String state = null;
    String description = null;
    long time = Long.MIN_VALUE;
    long timeMicros = Long.MIN_VALUE;
    float ttl = Float.NaN;
    // the metric kept unboxed until the one that counts is known
    long sint64 = 0;
    double d = 0;
    float f = 0;
    boolean hasSint64 = false;
    boolean hasD = false;
    boolean hasF = false;
    tags.clear();
    attributes.clear();
    while (!r.atEnd()) {
      int tag = r.readTag(where);
      int field = tag >>> 3;
      switch (field) {
        case EV_TIME -> {
          ProtoReader.expect(tag, ProtoReader.VARINT, where + ".time");
          time = r.readVarint(where + ".time");
        }
        case EV_STATE -> {
          ProtoReader.expect(tag, ProtoReader.LENGTH_DELIMITED, where + ".state");
          state = r.readString(where + ".state");
        }
        case EV_SERVICE -> {
          ProtoReader.expect(tag, ProtoReader.LENGTH_DELIMITED, where + ".service");
          service = r.readString(where + ".service");
        }
        case EV_HOST -> {
          ProtoReader.expect(tag, ProtoReader.LENGTH_DELIMITED, where + ".host");
          host = r.readString(where + ".host");
        }
        case EV_DESCRIPTION -> {
          ProtoReader.expect(tag, ProtoReader.LENGTH_DELIMITED, where + ".description");
          description = r.readString(where + ".description");
        }
        case EV_TAGS -> {
          ProtoReader.expect(tag, ProtoReader.LENGTH_DELIMITED, where + ".tags");
          tags.add(r.readString(where + ".tags"));
        }
        case EV_TTL -> {
          ProtoReader.expect(tag, ProtoReader.FIXED32, where + ".ttl");
          ttl = Float.intBitsToFloat(r.readFixed32(where + ".ttl"));
        }
        case EV_ATTRIBUTES -> {
          ProtoReader.expect(tag, ProtoReader.LENGTH_DELIMITED, where + ".attributes");
          int outer = r.enter(where + ".attributes");
          decodeAttribute(r, attributes);
          r.leave(outer);
        }
        case EV_TIME_MICROS -> {
          ProtoReader.expect(tag, ProtoReader.VARINT, where + ".time_micros");
          timeMicros = r.readVarint(where + ".time_micros");
        }
        case EV_METRIC_SINT64 -> {
          ProtoReader.expect(tag, ProtoReader.VARINT, where + ".metric_sint64");
          long raw = r.readVarint(where + ".metric_sint64");
          sint64 = (raw >>> 1) ^ -(raw & 1);
          hasSint64 = true;
        }
        case EV_METRIC_D -> {
          ProtoReader.expect(tag, ProtoReader.FIXED64, where + ".metric_d");
          d = Double.longBitsToDouble(r.readFixed64(where + ".metric_d"));
          hasD = true;
        }
        case EV_METRIC_F -> {
          ProtoReader.expect(tag, ProtoReader.FIXED32, where + ".metric_f");
          f = Float.intBitsToFloat(r.readFixed32(where + ".metric_f"));
          hasF = true;
        }
        default -> r.skip(tag, where);
      }
    }
    long t;
    if (timeMicros != Long.MIN_VALUE) {
      t = timeMicros;
    } else if (time != Long.MIN_VALUE) {
      // seconds beyond this range cannot be held in microseconds; clamp rather than wrap
      t = Math.abs(time) > Long.MAX_VALUE / 1_000_000L ? (time < 0 ? Long.MIN_VALUE + 1 : Long.MAX_VALUE) : time * 1_000_000L;
    } else {
      t = nowMicros;
    }
    // if/else, not ?: — a conditional of Long, Double and Float would unbox all three to double
    Number metric = null;
    if (hasSint64) {
      metric = Long.valueOf(sint64);
    } else if (hasD) {
      metric = Double.valueOf(d);
    } else if (hasF) {
      metric = Float.valueOf(f);
    }
    List<String> eventTags = tags.isEmpty() ? null
        : previous != null && tags.equals(previous.tags()) ? previous.tags() : List.copyOf(tags);
    return new Event(host, service, state, description, t, ttl, metric, eventTags, attributes.toMap());
  }

  /**
   * An event's attributes as they are decoded: the usual one or none without a map of its
   * own to copy from, more in a map; the last value of a repeated key wins.
   */
  private static final class Attributes {
    private String key;
    private String value;
    private Map<String, String> more;

    void clear() {
      key = null;
      value = null;
      more = null;
    }

    void put(String k, String v) {
      if (more != null) {
        more.put(k, v);
      } else if (key == null || key.equals(k)) {
        key = k;
        value = v;
      } else {
        more = new HashMap<>(4);
        more.put(key, value);
        more.put(k, v);
      }
    }

    Map<String, String> toMap() {
      return more != null ? more : key == null ? null : Map.of(key, value);
    }
  }

  private static void decodeAttribute(ProtoReader r, Attributes into) {
    final String where = "Event";
    String key = null;
    String value = "";
    while (!r.atEnd()) {
      int tag = r.readTag(where + ".attribute");
      switch (tag >>> 3) {
        case ATTR_KEY -> {
          ProtoReader.expect(tag, ProtoReader.LENGTH_DELIMITED, where + ".attribute.key");
          key = r.readString(where + ".attribute.key");
        }
        case ATTR_VALUE -> {
          ProtoReader.expect(tag, ProtoReader.LENGTH_DELIMITED, where + ".attribute.value");
          value = r.readString(where + ".attribute.value");
        }
        default -> r.skip(tag, where + ".attribute");
      }
    }
    if (key == null) {
      throw new MalformedMessageException(where + ": attribute without the required key");
    }
    into.put(key, value);
  }

  // ---- encoding ----

  /** The message as bytes, without framing. */
  public static byte[] encode(Msg msg) {
    byte[] out = new byte[size(msg)];
    int end = write(msg, out, 0);
    assert end == out.length;
    return out;
  }

  /** The message with the 4-byte big-endian length prefix TCP uses. */
  public static byte[] encodeFramed(Msg msg) {
    int size = size(msg);
    byte[] out = new byte[size + 4];
    out[0] = (byte) (size >>> 24);
    out[1] = (byte) (size >>> 16);
    out[2] = (byte) (size >>> 8);
    out[3] = (byte) size;
    write(msg, out, 4);
    return out;
  }

  /** The encoded size of {@code msg} in bytes. */
  public static int size(Msg msg) {
    int n = 0;
    if (msg.ok() != null) {
      n += 2;
    }
    if (msg.error() != null) {
      n += Sizes.string(MSG_ERROR, msg.error());
    }
    if (msg.query() != null) {
      int q = Sizes.string(QUERY_STRING, msg.query());
      n += Sizes.tag(MSG_QUERY) + Sizes.varint(q) + q;
    }
    for (Event e : msg.events()) {
      int es = eventSize(e);
      n += Sizes.tag(MSG_EVENTS) + Sizes.varint(es) + es;
    }
    return n;
  }

  /** Writes {@code msg} at {@code off} and returns the position after it. */
  public static int write(Msg msg, byte[] out, int off) {
    ProtoWriter w = new ProtoWriter(out, off);
    if (msg.ok() != null) {
      w.tag(MSG_OK, ProtoReader.VARINT);
      w.varint(msg.ok() ? 1 : 0);
    }
    if (msg.error() != null) {
      w.string(MSG_ERROR, msg.error());
    }
    if (msg.query() != null) {
      w.tag(MSG_QUERY, ProtoReader.LENGTH_DELIMITED);
      w.varint(Sizes.string(QUERY_STRING, msg.query()));
      w.string(QUERY_STRING, msg.query());
    }
    for (Event e : msg.events()) {
      w.tag(MSG_EVENTS, ProtoReader.LENGTH_DELIMITED);
      w.varint(eventSize(e));
      writeEvent(e, w);
    }
    return w.position();
  }

  static int eventSize(Event e) {
    int n = 0;
    long seconds = Math.floorDiv(e.timeMicros(), 1_000_000L);
    n += Sizes.tag(EV_TIME) + Sizes.varint(seconds);
    n += Sizes.tag(EV_TIME_MICROS) + Sizes.varint(e.timeMicros());
    if (e.state() != null) {
      n += Sizes.string(EV_STATE, e.state());
    }
    if (e.service() != null) {
      n += Sizes.string(EV_SERVICE, e.service());
    }
    if (e.host() != null) {
      n += Sizes.string(EV_HOST, e.host());
    }
    if (e.description() != null) {
      n += Sizes.string(EV_DESCRIPTION, e.description());
    }
    for (String t : e.tags()) {
      n += Sizes.string(EV_TAGS, t);
    }
    if (e.hasTtl()) {
      n += Sizes.tag(EV_TTL) + 4;
    }
    for (Map.Entry<String, String> a : e.attributes().entrySet()) {
      int as = attributeSize(a);
      n += Sizes.tag(EV_ATTRIBUTES) + Sizes.varint(as) + as;
    }
    Number m = e.metric();
    if (m instanceof Long l) {
      n += Sizes.tag(EV_METRIC_SINT64) + Sizes.varint(zigzag(l)) + Sizes.tag(EV_METRIC_F) + 4;
    } else if (m instanceof Double) {
      n += Sizes.tag(EV_METRIC_D) + 8 + Sizes.tag(EV_METRIC_F) + 4;
    } else if (m instanceof Float) {
      n += Sizes.tag(EV_METRIC_F) + 4;
    }
    return n;
  }

  private static int attributeSize(Map.Entry<String, String> a) {
    return Sizes.string(ATTR_KEY, a.getKey()) + Sizes.string(ATTR_VALUE, a.getValue());
  }

  private static long zigzag(long v) {
    return (v << 1) ^ (v >> 63);
  }

  private static void writeEvent(Event e, ProtoWriter w) {
    long seconds = Math.floorDiv(e.timeMicros(), 1_000_000L);
    w.tag(EV_TIME, ProtoReader.VARINT);
    w.varint(seconds);
    if (e.state() != null) {
      w.string(EV_STATE, e.state());
    }
    if (e.service() != null) {
      w.string(EV_SERVICE, e.service());
    }
    if (e.host() != null) {
      w.string(EV_HOST, e.host());
    }
    if (e.description() != null) {
      w.string(EV_DESCRIPTION, e.description());
    }
    for (String t : e.tags()) {
      w.string(EV_TAGS, t);
    }
    if (e.hasTtl()) {
      w.tag(EV_TTL, ProtoReader.FIXED32);
      w.fixed32(Float.floatToIntBits(e.ttl()));
    }
    for (Map.Entry<String, String> a : e.attributes().entrySet()) {
      w.tag(EV_ATTRIBUTES, ProtoReader.LENGTH_DELIMITED);
      w.varint(attributeSize(a));
      w.string(ATTR_KEY, a.getKey());
      w.string(ATTR_VALUE, a.getValue());
    }
    w.tag(EV_TIME_MICROS, ProtoReader.VARINT);
    w.varint(e.timeMicros());
    Number m = e.metric();
    if (m instanceof Long l) {
      w.tag(EV_METRIC_SINT64, ProtoReader.VARINT);
      w.varint(zigzag(l));
      w.tag(EV_METRIC_F, ProtoReader.FIXED32);
      w.fixed32(Float.floatToIntBits(l.floatValue()));
    } else if (m instanceof Double dv) {
      w.tag(EV_METRIC_D, ProtoReader.FIXED64);
      w.fixed64(Double.doubleToRawLongBits(dv));
      w.tag(EV_METRIC_F, ProtoReader.FIXED32);
      w.fixed32(Float.floatToIntBits(dv.floatValue()));
    } else if (m instanceof Float fv) {
      w.tag(EV_METRIC_F, ProtoReader.FIXED32);
      w.fixed32(Float.floatToIntBits(fv));
    }
  }
}
