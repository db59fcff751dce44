package dev.gantry.core.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.UncheckedIOException;

/**
 * The project's Jackson mappers, the one place they are made: Java time types as ISO-8601
 * text, unknown properties ignored (other tools' newer fields must not break us), records
 * supported. A use that needs another setting derives it from these in one line, saying why
 * (e.g. {@code mapper().copy().setPropertyNamingStrategy(SNAKE_CASE)} for an API in snake_case).
 *
 * <pre>{@code
 * String body = Json.write(new Droplet("web-1", 42));
 * Droplet d = Json.read(body, Droplet.class);
 * JsonNode tree = Json.mapper().readTree(body);
 * Compose c = Json.yaml().readValue(file.toFile(), Compose.class);
 * Files.write(file, Json.pretty().writeValueAsBytes(record));
 * }</pre>
 *
 * <p>The mappers are thread safe; do not reconfigure them (use {@code mapper().copy()}).
 */
public final class Json {
  private static final ObjectMapper JSON = JsonMapper.builder()
      .addModule(new JavaTimeModule())
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
      .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .build();

  private static final ObjectMapper YAML = YAMLMapper.builder(YAMLFactory.builder()
          .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
          .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
          .build())
      .addModule(new JavaTimeModule())
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
      .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .build();

  private static final ObjectWriter PRETTY = JSON.writerWithDefaultPrettyPrinter();

  private Json() {}

  /** The JSON mapper. */
  public static ObjectMapper mapper() {
    return JSON;
  }

  /** The JSON mapper's writer that indents: files people read, {@code --json} output. */
  public static ObjectWriter pretty() {
    return PRETTY;
  }

  /** The YAML mapper (no leading {@code ---}, quotes only where needed). */
  public static ObjectMapper yaml() {
    return YAML;
  }

  /** {@code value} as compact JSON. */
  public static String write(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException("cannot write " + value.getClass().getName() + " as JSON", e);
    }
  }

  /** {@code value} as indented JSON. */
  public static String writePretty(Object value) {
    try {
      return PRETTY.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException("cannot write " + value.getClass().getName() + " as JSON", e);
    }
  }

  /**
   * Reads {@code json} as a {@code type}; malformed input is an {@link UncheckedIOException}
   * whose message says where (line and column) it went wrong.
   */
  public static <T> T read(String json, Class<T> type) {
    try {
      return JSON.readValue(json, type);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException("cannot read " + type.getSimpleName() + " from JSON: " + e.getOriginalMessage()
          + (e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column "
              + e.getLocation().getColumnNr()), e);
    }
  }
}
