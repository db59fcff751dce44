package dev.gantry.core.store;

import java.nio.file.Path;

/**
 * Run in a child JVM by {@link StoreCrashTest}: writes transactions forever and prints the
 * number of each one after it was committed, until it is killed.
 */
public final class StoreCrashWriter {
  private StoreCrashWriter() {}

  public static void main(String[] args) {
    Store store = Store.open(Path.of(args[0]));
    store.migrate("storetest", "classpath:db/storetest");
    for (int i = 1; ; i++) {
      int n = i;
      store.runInTransaction(tx -> {
        long id = tx.insertReturningId("insert into item(name) values (?)", "item-" + n);
        tx.update("insert into part(item_id, label) values (?, ?)", id, "part-" + n);
      });
      System.out.println(n);
      System.out.flush();
    }
  }
}
