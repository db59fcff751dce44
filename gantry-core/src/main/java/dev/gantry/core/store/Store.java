package dev.gantry.core.store;

import dev.gantry.core.UserError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * The durable state of Gantry: one SQLite database file shared by the components, each with
 * its own tables and migrations.
 *
 * <pre>{@code
 * try (Store store = Store.open(dataDir.resolve("gantry.db"))) {
 *   store.migrate("ci", "classpath:db/ci");              // db/ci/V1__queue.sql, ...
 *   long id = store.insertReturningId("insert into ci_run(status) values (?)", "queued");
 *   Optional<String> status = store.queryOne("select status from ci_run where id = ?",
 *       rs -> rs.getString(1), id);
 *   store.inTransaction(tx -> tx.update("update ci_run set status = ? where id = ?", "done", id));
 * }
 * }</pre>
 *
 * <p>Durability: WAL journal with {@code synchronous=FULL}, so a statement or transaction
 * that returned is on disk and survives a crash of the process or the machine. Foreign keys
 * are enforced. Writes go through one connection in turn (SQLite has a single writer); reads
 * use a small pool of read-only connections and proceed while a write is under way. A read
 * made by the thread that is inside {@link #inTransaction} sees that transaction's writes.
 *
 * <p>Parameters: {@code String}, numbers, {@code Boolean} (0/1), {@code byte[]}, enums
 * (name), {@code Path}/{@code URI}/{@code UUID} (text), {@code Instant} and {@code Duration}
 * (milliseconds; read back with {@link Rows}), {@code Optional} and null.
 */
public final class Store implements AutoCloseable {
  private static final int READERS = 4;
  private static final int BUSY_TIMEOUT_MILLIS = 10_000;
  private static final Pattern COMPONENT = Pattern.compile("[a-z][a-z0-9_]*");

  private final Path file;
  private final String url;
  private final Connection writer;
  private final ReentrantLock writeLock = new ReentrantLock();
  private final BlockingQueue<Connection> idleReaders = new ArrayBlockingQueue<>(READERS);
  private final List<Connection> allReaders = new ArrayList<>();
  private final AtomicInteger openedReaders = new AtomicInteger();
  private int transactionDepth; // guarded by writeLock
  private volatile boolean closed;

  private Store(Path file, Connection writer) {
    this.file = file;
    this.url = "jdbc:sqlite:" + file;
    this.writer = writer;
  }

  /** Opens (or creates, with its parent folders) the database at {@code dbFile}. */
  public static Store open(Path dbFile) {
    Path file = dbFile.toAbsolutePath();
    try {
      Files.createDirectories(file.getParent());
    } catch (IOException e) {
      throw new UserError("cannot create the data folder " + file.getParent() + ": " + e.getMessage(), e);
    }
    if (Files.isDirectory(file)) {
      throw new UserError("the database " + file + " is a folder, not a file");
    }
    Connection writer = null;
    try {
      writer = DriverManager.getConnection("jdbc:sqlite:" + file, writerConfig().toProperties());
      try (Statement st = writer.createStatement()) {
        // reading the schema proves the file is a database (SQLite opens any file lazily)
        st.executeQuery("select count(*) from sqlite_schema").close();
      }
      return new Store(file, writer);
    } catch (SQLException e) {
      closeQuietly(writer);
      throw openFailed(file, e);
    }
  }

  private static SQLiteConfig writerConfig() {
    SQLiteConfig c = baseConfig();
    c.setJournalMode(SQLiteConfig.JournalMode.WAL);
    // a transaction takes the write lock when it begins, so it never fails half way to upgrade
    c.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
    return c;
  }

  private static SQLiteConfig baseConfig() {
    SQLiteConfig c = new SQLiteConfig();
    // FULL: with WAL, NORMAL may lose the last commits when the machine (not the process) dies
    c.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
    c.setBusyTimeout(BUSY_TIMEOUT_MILLIS);
    c.enforceForeignKeys(true);
    return c;
  }

  private static RuntimeException openFailed(Path file, SQLException e) {
    if (e instanceof SQLiteException se
        && (se.getResultCode() == SQLiteErrorCode.SQLITE_NOTADB || se.getResultCode() == SQLiteErrorCode.SQLITE_CORRUPT)) {
      return new UserError(file + " is not a Gantry database (SQLite says: " + se.getMessage() + ")", e);
    }
    return new UserError("cannot open the database " + file + ": " + e.getMessage(), e);
  }

  /** The database file. */
  public Path file() {
    return file;
  }

  /**
   * Brings {@code component}'s tables up to date with the Flyway migrations at
   * {@code location} (e.g. {@code classpath:db/ci} holding {@code V1__init.sql}). Each
   * component keeps its own history table {@code flyway_history_<component>}, so components
   * migrate independently in the shared file. Returns how many migrations ran.
   */
  public int migrate(String component, String location) {
    if (!COMPONENT.matcher(component).matches()) {
      throw new IllegalArgumentException("a component name is lower case letters, digits and '_': " + component);
    }
    return withWriter(c -> Migrations.run(url, baseConfig(), component, location));
  }

  /** All rows of a query, mapped. */
  public <T> List<T> query(String sql, RowMapper<T> mapper, Object... params) {
    return withReader(c -> Sql.query(c, sql, mapper, params));
  }

  /** The single row of a query, or empty; more than one row is an error. */
  public <T> Optional<T> queryOne(String sql, RowMapper<T> mapper, Object... params) {
    return withReader(c -> Sql.queryOne(c, sql, mapper, params));
  }

  /** Runs an insert, update, delete or DDL statement; returns the number of rows changed. */
  public int update(String sql, Object... params) {
    return withWriter(c -> Sql.update(c, sql, params));
  }

  /** Runs an insert and returns the rowid of the new row. */
  public long insertReturningId(String sql, Object... params) {
    return withWriter(c -> Sql.insertReturningId(c, sql, params));
  }

  /**
   * Runs {@code work} in one transaction: committed when it returns, rolled back when it
   * throws (the exception is passed on). A transaction inside a transaction joins it.
   *
   * <pre>{@code
   * long id = store.inTransaction(tx -> {
   *   long run = tx.insertReturningId("insert into ci_run(status) values ('queued')");
   *   tx.update("insert into ci_step(run_id, name) values (?, ?)", run, "compile");
   *   return run;
   * });
   * }</pre>
   */
  public <T> T inTransaction(Function<Tx, T> work) {
    return withWriter(c -> {
      if (transactionDepth > 0) {
        return work.apply(new WriterTx(c));
      }
      transactionDepth++;
      try {
        c.setAutoCommit(false);
        T result = work.apply(new WriterTx(c));
        c.commit();
        return result;
      } catch (SQLException e) {
        rollback(c, e);
        throw new StoreException("the transaction failed: " + e.getMessage(), e);
      } catch (RuntimeException | Error e) {
        rollback(c, e);
        throw e;
      } finally {
        transactionDepth--;
        try {
          c.setAutoCommit(true);
        } catch (SQLException e) {
          // the connection is broken; the next statement reports it
        }
      }
    });
  }

  /** {@link #inTransaction} for work that returns nothing. */
  public void runInTransaction(Consumer<Tx> work) {
    inTransaction(tx -> {
      work.accept(tx);
      return null;
    });
  }

  private static void rollback(Connection c, Throwable cause) {
    try {
      c.rollback();
    } catch (SQLException e) {
      cause.addSuppressed(e);
    }
  }

  private <T> T withWriter(Function<Connection, T> action) {
    writeLock.lock();
    try {
      ensureOpen();
      return action.apply(writer);
    } finally {
      writeLock.unlock();
    }
  }

  private <T> T withReader(Function<Connection, T> action) {
    if (writeLock.isHeldByCurrentThread()) {
      return action.apply(writer); // inside a transaction: see its own writes
    }
    ensureOpen();
    Connection c = borrowReader();
    try {
      return action.apply(c);
    } finally {
      if (!idleReaders.offer(c)) {
        closeQuietly(c);
      }
    }
  }

  private Connection borrowReader() {
    Connection c = idleReaders.poll();
    if (c != null) {
      return c;
    }
    if (openedReaders.getAndIncrement() < READERS) {
      try {
        SQLiteConfig config = baseConfig();
        config.setReadOnly(true);
        Connection reader = DriverManager.getConnection(url, config.toProperties());
        synchronized (allReaders) {
          allReaders.add(reader);
        }
        return reader;
      } catch (SQLException e) {
        openedReaders.decrementAndGet();
        throw new StoreException("cannot open a reading connection to " + file + ": " + e.getMessage(), e);
      }
    }
    try {
      return idleReaders.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreException("interrupted while waiting for a database connection", null);
    }
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("the store " + file + " is closed");
    }
  }

  /** Closes the connections; statements after this fail. */
  @Override
  public void close() {
    writeLock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      closeQuietly(writer);
      synchronized (allReaders) {
        allReaders.forEach(Store::closeQuietly);
      }
    } finally {
      writeLock.unlock();
    }
  }

  private static void closeQuietly(Connection c) {
    if (c == null) {
      return;
    }
    try {
      c.close();
    } catch (SQLException e) {
      // closing: nothing left to do with it
    }
  }

  private static final class WriterTx implements Tx {
    private final Connection c;

    WriterTx(Connection c) {
      this.c = c;
    }

    @Override
    public <T> List<T> query(String sql, RowMapper<T> mapper, Object... params) {
      return Sql.query(c, sql, mapper, params);
    }

    @Override
    public <T> Optional<T> queryOne(String sql, RowMapper<T> mapper, Object... params) {
      return Sql.queryOne(c, sql, mapper, params);
    }

    @Override
    public int update(String sql, Object... params) {
      return Sql.update(c, sql, params);
    }

    @Override
    public long insertReturningId(String sql, Object... params) {
      return Sql.insertReturningId(c, sql, params);
    }
  }
}
