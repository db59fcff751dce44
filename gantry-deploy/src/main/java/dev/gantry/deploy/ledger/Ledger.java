package dev.gantry.deploy.ledger;

import java.util.List;
import java.util.Optional;

/**
 * The durable record of every deploy, rollback and clone. Entries are appended, never
 * changed. Which release runs where is the latest succeeded entry for that system and host.
 *
 * <pre>{@code
 * Ledger ledger = new JsonLinesLedger(dataDir.resolve("deploy/ledger.jsonl"));
 * ledger.current("capital", "prod").map(ReleaseRecord::release);
 * }</pre>
 */
public interface Ledger {

  /** Appends durably and returns the entry with its sequence number. */
  ReleaseRecord append(ReleaseRecord r);

  /** Every entry, oldest first. */
  List<ReleaseRecord> all();

  /** Entries of one system on one host, oldest first. */
  default List<ReleaseRecord> history(String system, String host) {
    return all().stream().filter(r -> r.system().equals(system) && r.host().equals(host)).toList();
  }

  /** The release running now: the latest succeeded entry. */
  default Optional<ReleaseRecord> current(String system, String host) {
    List<ReleaseRecord> h = history(system, host);
    for (int i = h.size() - 1; i >= 0; i--) {
      if (h.get(i).succeeded()) {
        return Optional.of(h.get(i));
      }
    }
    return Optional.empty();
  }
}
