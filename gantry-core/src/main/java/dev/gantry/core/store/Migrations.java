package dev.gantry.core.store;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/** Flyway, set up so that several components migrate side by side in one database file. */
final class Migrations {
  private Migrations() {}

  static int run(String url, SQLiteConfig config, String component, String location) {
    SQLiteDataSource ds = new SQLiteDataSource(config);
    ds.setUrl(url);
    try {
      return Flyway.configure(Thread.currentThread().getContextClassLoader())
          .dataSource(ds)
          .locations(location)
          .failOnMissingLocations(true)
          .table("flyway_history_" + component)
          // other components' tables make the schema non-empty: start this history below V1
          .baselineOnMigrate(true)
          .baselineVersion("0")
          .validateMigrationNaming(true)
          .cleanDisabled(true)
          .load()
          .migrate()
          .migrationsExecuted;
    } catch (FlywayException e) {
      throw new StoreException("migrating '" + component + "' from " + location + " failed: " + e.getMessage(), e);
    }
  }
}
