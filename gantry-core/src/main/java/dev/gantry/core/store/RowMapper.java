package dev.gantry.core.store;

import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Turns the current row of a result into a value.
 *
 * <pre>{@code
 * RowMapper<Run> run = rs -> new Run(rs.getLong("id"), rs.getString("status"), Rows.instant(rs, "started_at"));
 * }</pre>
 */
@FunctionalInterface
public interface RowMapper<T> {
  T map(ResultSet row) throws SQLException;
}
