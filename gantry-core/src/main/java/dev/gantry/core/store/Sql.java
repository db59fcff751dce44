package dev.gantry.core.store;

import java.math.BigDecimal;
import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The statements themselves, on a connection the caller owns. */
final class Sql {
  private Sql() {}

  static <T> List<T> query(Connection c, String sql, RowMapper<T> mapper, Object... params) {
    try (PreparedStatement st = prepare(c, sql, params); ResultSet rs = st.executeQuery()) {
      List<T> rows = new ArrayList<>();
      while (rs.next()) {
        rows.add(mapper.map(rs));
      }
      return rows;
    } catch (SQLException e) {
      throw failed(sql, e);
    }
  }

  static <T> Optional<T> queryOne(Connection c, String sql, RowMapper<T> mapper, Object... params) {
    List<T> rows = query(c, sql, mapper, params);
    if (rows.size() > 1) {
      throw new StoreException("expected at most one row but got " + rows.size() + " from: " + sql, null);
    }
    return rows.isEmpty() ? Optional.empty() : Optional.ofNullable(rows.get(0));
  }

  static int update(Connection c, String sql, Object... params) {
    try (PreparedStatement st = prepare(c, sql, params)) {
      return st.executeUpdate();
    } catch (SQLException e) {
      throw failed(sql, e);
    }
  }

  static long insertReturningId(Connection c, String sql, Object... params) {
    update(c, sql, params);
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("select last_insert_rowid()")) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw failed(sql, e);
    }
  }

  private static PreparedStatement prepare(Connection c, String sql, Object... params) throws SQLException {
    PreparedStatement st = c.prepareStatement(sql);
    try {
      int expected = st.getParameterMetaData().getParameterCount();
      if (expected != params.length) {
        throw new SQLException("the statement has " + expected + " parameters but " + params.length + " were given");
      }
      for (int i = 0; i < params.length; i++) {
        bind(st, i + 1, params[i]);
      }
      return st;
    } catch (SQLException | RuntimeException e) {
      st.close();
      throw e;
    }
  }

  /** Java values to SQLite's storage classes; times become milliseconds so they sort and compare. */
  private static void bind(PreparedStatement st, int index, Object value) throws SQLException {
    Object v = value instanceof Optional<?> o ? o.orElse(null) : value;
    switch (v) {
      case null -> st.setNull(index, java.sql.Types.NULL);
      case String s -> st.setString(index, s);
      case Integer i -> st.setLong(index, i);
      case Long l -> st.setLong(index, l);
      case Short s -> st.setLong(index, s);
      case Byte b -> st.setLong(index, b);
      case Boolean b -> st.setInt(index, b ? 1 : 0);
      case Double d -> st.setDouble(index, d);
      case Float f -> st.setDouble(index, f);
      case byte[] bytes -> st.setBytes(index, bytes);
      case Instant t -> st.setLong(index, t.toEpochMilli());
      case Duration d -> st.setLong(index, d.toMillis());
      case Enum<?> e -> st.setString(index, e.name());
      case Path p -> st.setString(index, p.toString());
      case UUID u -> st.setString(index, u.toString());
      case URI u -> st.setString(index, u.toString());
      case LocalDate d -> st.setString(index, d.toString());
      case BigDecimal d -> st.setString(index, d.toPlainString());
      default -> throw new IllegalArgumentException(
          "cannot store parameter " + index + " of type " + v.getClass().getName());
    }
  }

  static StoreException failed(String sql, SQLException e) {
    return new StoreException(e.getMessage() + " in: " + sql.strip(), e);
  }
}
