package dev.gantry.monitor.client.proto;

import dev.gantry.monitor.client.Event;
import java.util.List;

/**
 * A Riemann protocol message: a batch of events sent to the server, a query, or the
 * server's reply ({@code ok}, an {@code error}, the events a query matched).
 *
 * <pre>{@code
 * byte[] wire = MsgCodec.encode(Msg.ofEvents(List.of(event)));
 * }</pre>
 *
 * @param ok the reply's status, null in requests
 * @param error the reply's error message, or null
 * @param query the query string of a query request, or null
 * @param events the events carried
 */
public record Msg(Boolean ok, String error, String query, List<Event> events) {
  private static final Msg ACK = new Msg(true, null, null, List.of());

  public Msg {
    // a decoded message's list is read-only already; any other is copied
    events = events == null ? List.of() : events instanceof DecodedEvents ? events : List.copyOf(events);
  }

  /** The reply acknowledging a batch. */
  public static Msg acknowledged() {
    return ACK;
  }

  /** A failure reply. */
  public static Msg error(String message) {
    return new Msg(false, message, null, List.of());
  }

  /** A request carrying events. */
  public static Msg ofEvents(List<Event> events) {
    return new Msg(null, null, null, events);
  }

  /** A query request. */
  public static Msg ofQuery(String query) {
    return new Msg(null, null, query, List.of());
  }

  /** The reply to a query. */
  public static Msg answer(List<Event> events) {
    return new Msg(true, null, null, events);
  }

  /** True when this is a reply whose ok is false. */
  public boolean failed() {
    return Boolean.FALSE.equals(ok);
  }
}
