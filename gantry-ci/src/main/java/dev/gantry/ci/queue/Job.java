package dev.gantry.ci.queue;

import java.time.Instant;

/**
 * One run handed to an agent: {@code prepare} (check out, compile the pipeline, report the
 * step graph) or one step of a candidate. Its id is the run id shown in URLs.
 *
 * @param step the step name, or {@link #PREPARE} for the prepare run
 * @param attempt 1 for the first run of the step on this candidate
 */
public record Job(
    long id,
    long candidate,
    String step,
    int attempt,
    JobStatus status,
    String agent,
    Instant created,
    Instant started,
    Instant finished,
    String message) {

  public static final String PREPARE = "prepare";

  public Job {
    message = message == null ? "" : message;
  }

  public boolean prepare() {
    return PREPARE.equals(step);
  }

  Job assigned(String to, Instant at) {
    return new Job(id, candidate, step, attempt, JobStatus.RUNNING, to, created, at, null, message);
  }

  Job finish(JobStatus s, String msg, Instant at) {
    return new Job(id, candidate, step, attempt, s, agent, created, started, at, msg);
  }
}
