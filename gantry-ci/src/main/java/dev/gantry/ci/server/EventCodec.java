package dev.gantry.ci.server;

import dev.gantry.ci.api.Json;
import dev.gantry.ci.queue.Event;
import java.util.Arrays;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Events to and from the rows of the event log: the record's simple name and its JSON. */
final class EventCodec {
  private static final Map<String, Class<?>> TYPES = Arrays.stream(Event.class.getPermittedSubclasses())
      .collect(Collectors.toMap(Class::getSimpleName, Function.identity()));

  private EventCodec() {}

  static String type(Event e) {
    return e.getClass().getSimpleName();
  }

  static String body(Event e) {
    return Json.write(e);
  }

  static Event read(String type, String body) {
    Class<?> c = TYPES.get(type);
    if (c == null) {
      throw new IllegalStateException("the CI event log holds an unknown event type '" + type + "'");
    }
    return (Event) Json.read(body, c);
  }
}
