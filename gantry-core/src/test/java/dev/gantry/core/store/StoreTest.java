package dev.gantry.core.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.core.UserError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreTest {

  @TempDir Path tmp;

  private Store openMigrated(Path file) {
    Store store = Store.open(file);
    store.migrate("storetest", "classpath:db/storetest");
    return store;
  }

  @Test
  void createsParentFoldersAndUsesWal() {
    Path file = tmp.resolve("a/b/gantry.db");
    try (Store store = Store.open(file)) {
      assertThat(file).exists();
      assertThat(store.queryOne("pragma journal_mode", rs -> rs.getString(1))).contains("wal");
      assertThat(store.file()).isEqualTo(file.toAbsolutePath());
    }
  }

  @Test
  void aMigrationIsAppliedOnceAcrossRestarts() {
    Path file = tmp.resolve("gantry.db");
    try (Store store = Store.open(file)) {
      assertThat(store.migrate("storetest", "classpath:db/storetest")).isEqualTo(2);
      store.update("insert into item(name) values (?)", "kept");
    }
    try (Store store = Store.open(file)) {
      assertThat(store.migrate("storetest", "classpath:db/storetest")).isZero();
      assertThat(store.query("select name from item", rs -> rs.getString(1))).containsExactly("kept");
      assertThat(store.queryOne("select count(*) from flyway_history_storetest where success = 1 and version = '1'",
          rs -> rs.getInt(1))).contains(1);
    }
  }

  @Test
  void componentsMigrateSideBySide() {
    try (Store store = openMigrated(tmp.resolve("gantry.db"))) {
      assertThat(store.migrate("second", "classpath:db/second")).isEqualTo(1);
      assertThat(store.query("select value from second_thing", rs -> rs.getString(1))).containsExactly("seeded");
      assertThat(store.migrate("second", "classpath:db/second")).isZero();
      assertThat(store.migrate("storetest", "classpath:db/storetest")).isZero();
    }
  }

  @Test
  void aBrokenMigrationNamesTheComponentAndLeavesNothingHalfDone() {
    try (Store store = Store.open(tmp.resolve("gantry.db"))) {
      assertThatThrownBy(() -> store.migrate("broken", "classpath:db/broken"))
          .isInstanceOf(StoreException.class)
          .hasMessageContaining("'broken'")
          .hasMessageContaining("V1__broken.sql");
    }
  }

  @Test
  void aMissingMigrationLocationIsAnError() {
    try (Store store = Store.open(tmp.resolve("gantry.db"))) {
      assertThatThrownBy(() -> store.migrate("nothing", "classpath:db/does-not-exist"))
          .isInstanceOf(StoreException.class)
          .hasMessageContaining("db/does-not-exist");
    }
  }

  @Test
  void typedQueriesAndParameters() {
    try (Store store = openMigrated(tmp.resolve("gantry.db"))) {
      Instant now = Instant.parse("2024-05-01T10:15:30.123Z");
      long id = store.insertReturningId("insert into item(name, created_at) values (?, ?)", "one", now);
      long id2 = store.insertReturningId("insert into item(name, created_at) values (?, ?)", "two", Optional.empty());

      assertThat(id2).isEqualTo(id + 1);
      record Item(long id, String name, Instant created) {}
      RowMapper<Item> item = rs -> new Item(rs.getLong("id"), rs.getString("name"), Rows.instant(rs, "created_at"));
      assertThat(store.query("select * from item order by id", item))
          .containsExactly(new Item(id, "one", now), new Item(id2, "two", null));
      assertThat(store.queryOne("select * from item where name = ?", item, "one")).contains(new Item(id, "one", now));
      assertThat(store.queryOne("select * from item where name = ?", item, "none")).isEmpty();
      assertThat(store.update("update item set name = upper(name)")).isEqualTo(2);
    }
  }

  @Test
  void queryOneRefusesSeveralRows() {
    try (Store store = openMigrated(tmp.resolve("gantry.db"))) {
      store.update("insert into item(name) values ('a'), ('b')");
      assertThatThrownBy(() -> store.queryOne("select name from item", rs -> rs.getString(1)))
          .isInstanceOf(StoreException.class)
          .hasMessageContaining("at most one row");
    }
  }

  @Test
  void aTransactionRollsBackWhenItsWorkThrows() {
    try (Store store = openMigrated(tmp.resolve("gantry.db"))) {
      assertThatThrownBy(() -> store.inTransaction(tx -> {
        tx.update("insert into item(name) values ('lost')");
        assertThat(tx.query("select name from item", rs -> rs.getString(1))).containsExactly("lost");
        throw new IllegalStateException("boom");
      })).isInstanceOf(IllegalStateException.class).hasMessage("boom");

      assertThat(store.query("select name from item", rs -> rs.getString(1))).isEmpty();

      long id = store.inTransaction(tx -> {
        long item = tx.insertReturningId("insert into item(name) values ('kept')");
        tx.update("insert into part(item_id, label) values (?, ?)", item, "p");
        return item;
      });
      assertThat(store.queryOne("select count(*) from part where item_id = ?", rs -> rs.getInt(1), id)).contains(1);
    }
  }

  @Test
  void aFailingStatementRollsBackTheWholeTransaction() {
    try (Store store = openMigrated(tmp.resolve("gantry.db"))) {
      assertThatThrownBy(() -> store.runInTransaction(tx -> {
        tx.update("insert into item(name) values ('x')");
        tx.update("insert into item(name) values ('x')"); // unique
      })).isInstanceOf(StoreException.class).hasMessageContaining("UNIQUE");
      assertThat(store.queryOne("select count(*) from item", rs -> rs.getInt(1))).contains(0);
    }
  }

  @Test
  void readsInsideATransactionSeeItsWritesAndNestedTransactionsJoin() {
    try (Store store = openMigrated(tmp.resolve("gantry.db"))) {
      assertThatThrownBy(() -> store.runInTransaction(tx -> {
        store.update("insert into item(name) values ('inner')");
        store.runInTransaction(inner -> inner.update("insert into item(name) values ('nested')"));
        assertThat(store.query("select name from item order by name", rs -> rs.getString(1)))
            .containsExactly("inner", "nested");
        throw new IllegalStateException("undo all");
      })).hasMessage("undo all");
      assertThat(store.queryOne("select count(*) from item", rs -> rs.getInt(1))).contains(0);
    }
  }

  @Test
  void foreignKeysAreEnforced() {
    try (Store store = openMigrated(tmp.resolve("gantry.db"))) {
      assertThatThrownBy(() -> store.update("insert into part(item_id, label) values (42, 'orphan')"))
          .isInstanceOf(StoreException.class)
          .hasMessageContaining("FOREIGN KEY");
    }
  }

  @Test
  void badSqlIsAClearError() {
    try (Store store = openMigrated(tmp.resolve("gantry.db"))) {
      assertThatThrownBy(() -> store.query("selct * from item", rs -> 1))
          .isInstanceOf(StoreException.class)
          .hasMessageContaining("syntax error")
          .hasMessageContaining("selct * from item");
      assertThatThrownBy(() -> store.update("insert into nowhere values (1)"))
          .isInstanceOf(StoreException.class)
          .hasMessageContaining("no such table: nowhere");
      assertThatThrownBy(() -> store.update("insert into item(name) values (?)", "a", "b"))
          .isInstanceOf(StoreException.class)
          .hasMessageContaining("1 parameters but 2 were given");
      assertThatThrownBy(() -> store.update("insert into item(name) values (?)", new Object()))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("parameter 1");
    }
  }

  @Test
  void readsCannotWrite() {
    try (Store store = openMigrated(tmp.resolve("gantry.db"))) {
      assertThatThrownBy(() -> store.query("delete from item returning id", rs -> 1))
          .isInstanceOf(StoreException.class);
    }
  }

  @Test
  void aFileThatIsNotADatabaseIsAUserError() throws IOException {
    Path file = Files.writeString(tmp.resolve("gantry.db"), "this is just text, not SQLite ".repeat(200));
    assertThatThrownBy(() -> Store.open(file))
        .isInstanceOf(UserError.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("not a Gantry database");
  }

  @Test
  void aFolderInTheWayIsAUserError() throws IOException {
    Path blocker = Files.writeString(tmp.resolve("file"), "x");
    assertThatThrownBy(() -> Store.open(blocker.resolve("gantry.db")))
        .isInstanceOf(UserError.class)
        .hasMessageContaining(blocker.toString());
    Path dir = Files.createDirectory(tmp.resolve("dir.db"));
    assertThatThrownBy(() -> Store.open(dir)).isInstanceOf(UserError.class).hasMessageContaining("is a folder");
  }

  @Test
  void aClosedStoreRefusesWork() {
    Store store = openMigrated(tmp.resolve("gantry.db"));
    store.close();
    assertThatThrownBy(() -> store.query("select 1", rs -> 1)).isInstanceOf(IllegalStateException.class);
    store.close();
  }

  @Test
  void manyThreadsWriteAndReadConcurrently() throws Exception {
    try (Store store = openMigrated(tmp.resolve("gantry.db"));
        ExecutorService pool = Executors.newFixedThreadPool(8)) {
      List<Future<?>> work = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        int thread = t;
        work.add(pool.submit(() -> {
          for (int i = 0; i < 50; i++) {
            String name = "t" + thread + "-" + i;
            store.runInTransaction(tx -> {
              long id = tx.insertReturningId("insert into item(name) values (?)", name);
              tx.update("insert into part(item_id, label) values (?, ?)", id, name);
            });
            assertThat(store.queryOne("select count(*) from item where name = ?", rs -> rs.getInt(1), name)).contains(1);
          }
        }));
      }
      for (Future<?> f : work) {
        f.get(Duration.ofSeconds(60).toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
      }
      assertThat(store.queryOne("select count(*) from item", rs -> rs.getInt(1))).contains(400);
      assertThat(store.queryOne("select count(*) from part", rs -> rs.getInt(1))).contains(400);
    }
  }
}
