package dev.gantry.core.store;

import java.util.List;
import java.util.Optional;

/**
 * The statements of one transaction; see {@link Store#inTransaction}. Valid only inside the
 * function it was given to.
 */
public interface Tx {
  <T> List<T> query(String sql, RowMapper<T> mapper, Object... params);

  <T> Optional<T> queryOne(String sql, RowMapper<T> mapper, Object... params);

  int update(String sql, Object... params);

  long insertReturningId(String sql, Object... params);
}
