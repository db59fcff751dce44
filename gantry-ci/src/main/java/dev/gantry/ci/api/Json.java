package dev.gantry.ci.api;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The JSON mapper for the CI's API, event log and agent protocol. */
public final class Json {
  /** Core's mapper, without {@code isX()} getters: the API's records answer questions that are not fields. */
  public static final ObjectMapper MAPPER = dev.gantry.core.json.Json.mapper().copy()
      .setVisibility(PropertyAccessor.IS_GETTER, JsonAutoDetect.Visibility.NONE);

  private Json() {}

  public static String write(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON for " + value.getClass().getSimpleName(), e);
    }
  }

  /** Reads {@code text} as {@code type}; malformed input is an {@link IllegalArgumentException} saying what is wrong. */
  public static <T> T read(String text, Class<T> type) {
    try {
      return MAPPER.readValue(text, type);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("malformed " + type.getSimpleName() + " JSON: " + e.getOriginalMessage());
    }
  }
}
