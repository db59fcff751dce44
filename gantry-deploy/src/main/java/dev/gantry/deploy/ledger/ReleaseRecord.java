package dev.gantry.deploy.ledger;

import java.time.Instant;
import java.util.Map;

/**
 * One entry of the release ledger: what was deployed (or rolled back, or cloned) where,
 * when, by whom, with which images and event-schema versions, the backup taken before,
 * and how it ended.
 *
 * @param seq position in the ledger, from 1
 * @param images service to the image reference it ran
 * @param digests image reference to its digest (or local image id)
 * @param schemas service to event-schema version, for services that persist events
 * @param backupId the backup taken just before this change, or null when there was no data
 * @param restoredFrom the backup whose data was restored by this change, or null
 * @param reason why it failed, what was rolled back, or the note given
 */
public record ReleaseRecord(
    long seq,
    Instant at,
    String system,
    String host,
    String project,
    String runtime,
    Kind kind,
    Outcome outcome,
    String release,
    Map<String, String> tags,
    Map<String, String> images,
    Map<String, String> digests,
    Map<String, Integer> schemas,
    String backupId,
    String restoredFrom,
    String by,
    String reason) {

  public ReleaseRecord {
    tags = Map.copyOf(tags);
    images = Map.copyOf(images);
    digests = Map.copyOf(digests);
    schemas = Map.copyOf(schemas);
  }

  /** What kind of change this was. */
  public enum Kind { DEPLOY, ROLLBACK, CLONE }

  /** How it ended. */
  public enum Outcome {
    /** The release runs and passed its health checks. */
    SUCCEEDED,
    /** It failed; the previous release was started again and is healthy. */
    ROLLED_BACK,
    /** It failed and nothing could be restored automatically. */
    FAILED
  }

  public boolean succeeded() {
    return outcome == Outcome.SUCCEEDED;
  }

  public ReleaseRecord withSeq(long n) {
    return new ReleaseRecord(n, at, system, host, project, runtime, kind, outcome, release, tags, images, digests, schemas,
        backupId, restoredFrom, by, reason);
  }
}
