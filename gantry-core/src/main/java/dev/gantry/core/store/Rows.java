package dev.gantry.core.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;

/**
 * Reads the column types the store writes for Java values ({@link Instant} and
 * {@link Duration} are kept as milliseconds), with SQL NULL as Java null.
 *
 * <pre>{@code
 * Instant started = Rows.instant(rs, "started_at");
 * Long exit = Rows.nullableLong(rs, "exit_code");
 * }</pre>
 */
public final class Rows {
  private Rows() {}

  public static Instant instant(ResultSet rs, String column) throws SQLException {
    long millis = rs.getLong(column);
    return rs.wasNull() ? null : Instant.ofEpochMilli(millis);
  }

  public static Duration duration(ResultSet rs, String column) throws SQLException {
    long millis = rs.getLong(column);
    return rs.wasNull() ? null : Duration.ofMillis(millis);
  }

  public static Long nullableLong(ResultSet rs, String column) throws SQLException {
    long v = rs.getLong(column);
    return rs.wasNull() ? null : v;
  }

  public static Integer nullableInt(ResultSet rs, String column) throws SQLException {
    int v = rs.getInt(column);
    return rs.wasNull() ? null : v;
  }

  public static boolean bool(ResultSet rs, String column) throws SQLException {
    return rs.getInt(column) != 0;
  }

  public static <E extends Enum<E>> E enumValue(ResultSet rs, String column, Class<E> type) throws SQLException {
    String name = rs.getString(column);
    return name == null ? null : Enum.valueOf(type, name);
  }
}
