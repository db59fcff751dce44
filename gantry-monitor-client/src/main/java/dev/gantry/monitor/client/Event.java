package dev.gantry.monitor.client;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One Riemann event: what a host says about one of its services at a moment.
 *
 * <p>{@code metric} is a {@link Long}, {@link Double} or {@link Float} (the three wire
 * encodings) or null; {@code ttl} is in seconds, {@link Float#NaN} when the sender set
 * none (the server then applies its default). Time is kept in microseconds since the epoch.
 *
 * <pre>{@code
 * Event e = Event.builder().host("web1").service("http req/s").metric(42.0).state("ok").build();
 * }</pre>
 */
public record Event(
    String host,
    String service,
    String state,
    String description,
    long timeMicros,
    float ttl,
    Number metric,
    List<String> tags,
    Map<String, String> attributes) {

  public Event {
    tags = tags == null ? List.of() : List.copyOf(tags);
    attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
    metric = normalize(metric);
  }

  private static Number normalize(Number m) {
    if (m == null || m instanceof Long || m instanceof Double || m instanceof Float) {
      return m;
    }
    if (m instanceof Integer || m instanceof Short || m instanceof Byte) {
      return m.longValue();
    }
    return m.doubleValue();
  }

  /** A builder whose time defaults to now. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder initialised with this event's fields. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.host = host;
    b.service = service;
    b.state = state;
    b.description = description;
    b.timeMicros = timeMicros;
    b.ttl = ttl;
    b.metric = metric;
    b.tags.addAll(tags);
    b.attributes.putAll(attributes);
    return b;
  }

  /** The event's time as an instant. */
  public Instant time() {
    return Instant.ofEpochSecond(Math.floorDiv(timeMicros, 1_000_000L), Math.floorMod(timeMicros, 1_000_000L) * 1000L);
  }

  /** True when the sender gave a TTL. */
  public boolean hasTtl() {
    return !Float.isNaN(ttl);
  }

  /** True when the event carries a metric. */
  public boolean hasMetric() {
    return metric != null;
  }

  /** The metric as a double, or NaN when there is none. */
  public double metricValue() {
    return metric == null ? Double.NaN : metric.doubleValue();
  }

  /** True when the event carries {@code tag}. */
  public boolean tagged(String tag) {
    return tags.contains(tag);
  }

  /** The attribute {@code key}, or null. */
  public String attribute(String key) {
    return attributes.get(key);
  }

  public Event withState(String newState) {
    return new Event(host, service, newState, description, timeMicros, ttl, metric, tags, attributes);
  }

  public Event withService(String newService) {
    return new Event(host, newService, state, description, timeMicros, ttl, metric, tags, attributes);
  }

  public Event withHost(String newHost) {
    return new Event(newHost, service, state, description, timeMicros, ttl, metric, tags, attributes);
  }

  public Event withMetric(Number newMetric) {
    return new Event(host, service, state, description, timeMicros, ttl, newMetric, tags, attributes);
  }

  public Event withDescription(String newDescription) {
    return new Event(host, service, state, newDescription, timeMicros, ttl, metric, tags, attributes);
  }

  public Event withTimeMicros(long newTimeMicros) {
    return new Event(host, service, state, description, newTimeMicros, ttl, metric, tags, attributes);
  }

  public Event withTtl(float newTtl) {
    return new Event(host, service, state, description, timeMicros, newTtl, metric, tags, attributes);
  }

  /** Builds an {@link Event}; every field is optional. */
  public static final class Builder {
    private String host;
    private String service;
    private String state;
    private String description;
    private long timeMicros = nowMicros();
    private float ttl = Float.NaN;
    private Number metric;
    private final List<String> tags = new ArrayList<>();
    private final Map<String, String> attributes = new LinkedHashMap<>();

    private static long nowMicros() {
      Instant now = Instant.now();
      return now.getEpochSecond() * 1_000_000L + now.getNano() / 1000;
    }

    public Builder host(String v) { this.host = v; return this; }
    public Builder service(String v) { this.service = v; return this; }
    public Builder state(String v) { this.state = v; return this; }
    public Builder description(String v) { this.description = v; return this; }
    public Builder metric(Number v) { this.metric = v; return this; }
    public Builder metric(double v) { this.metric = v; return this; }
    public Builder metric(long v) { this.metric = v; return this; }
    public Builder metric(float v) { this.metric = v; return this; }
    /** TTL in seconds. */
    public Builder ttl(float seconds) { this.ttl = seconds; return this; }
    public Builder timeMicros(long v) { this.timeMicros = v; return this; }

    public Builder time(Instant t) {
      this.timeMicros = t.getEpochSecond() * 1_000_000L + t.getNano() / 1000;
      return this;
    }

    public Builder tags(String... values) {
      for (String t : values) {
        tags.add(Objects.requireNonNull(t, "tag"));
      }
      return this;
    }

    public Builder tags(List<String> values) {
      values.forEach(this::tags);
      return this;
    }

    public Builder attribute(String key, String value) {
      attributes.put(Objects.requireNonNull(key, "attribute key"), value == null ? "" : value);
      return this;
    }

    public Event build() {
      return new Event(host, service, state, description, timeMicros, ttl, metric, tags, attributes);
    }
  }
}
