package dev.gantry.core.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import dev.gantry.core.UserError;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads {@code gantry.yml}: nested maps become dotted keys ({@code server: {port: 8080}} is
 * {@code server.port}), each value remembered with its line for error messages.
 */
final class ConfigFile {
  private static final YAMLFactory YAML = YAMLFactory.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .enable(YAMLParser.Feature.EMPTY_STRING_AS_NULL) // "port:" with nothing after it
      .build();

  /** One leaf of the file: scalar text, or the items of a sequence. */
  record Value(String key, String text, List<String> items, int line) {
    boolean isList() {
      return items != null;
    }
  }

  private ConfigFile() {}

  static Map<String, Value> read(Path file) {
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
        JsonParser p = YAML.createParser(reader)) {
      Map<String, Value> values = new LinkedHashMap<>();
      JsonToken first = p.nextToken();
      if (first == null) {
        return values; // an empty file sets nothing
      }
      if (first != JsonToken.START_OBJECT) {
        throw new UserError(file + ": expected a map of settings like 'server:\\n  port: 8080' at the top level");
      }
      readObject(file, p, "", values);
      return values;
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      String where = at == null ? file.toString() : file + ":" + at.getLineNr() + ":" + at.getColumnNr();
      throw new UserError(where + ": " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new UserError("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  private static void readObject(Path file, JsonParser p, String prefix, Map<String, Value> values) throws IOException {
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String key = prefix.isEmpty() ? p.currentName() : prefix + "." + p.currentName();
      int line = p.currentTokenLocation().getLineNr();
      JsonToken t = p.nextToken();
      switch (t) {
        case START_OBJECT -> readObject(file, p, key, values);
        case START_ARRAY -> put(file, values, new Value(key, null, readItems(file, p, key, line), line));
        case VALUE_NULL -> { } // "key:" with nothing after it leaves the setting unset
        default -> put(file, values, new Value(key, p.getText(), null, line));
      }
    }
  }

  private static List<String> readItems(Path file, JsonParser p, String key, int line) throws IOException {
    List<String> items = new ArrayList<>();
    for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
      if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
        throw new UserError(file + ":" + line + ": '" + key + "' must be a list of plain values");
      }
      items.add(p.getText());
    }
    return items;
  }

  private static void put(Path file, Map<String, Value> values, Value v) {
    Value before = values.putIfAbsent(v.key(), v);
    if (before != null) {
      throw new UserError(file + ":" + v.line() + ": '" + v.key() + "' is already set on line " + before.line());
    }
  }
}
