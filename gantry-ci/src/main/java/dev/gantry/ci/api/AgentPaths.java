package dev.gantry.ci.api;

/** The HTTP paths of the agent protocol and the hook, shared by server, agent and hook. */
public final class AgentPaths {
  private AgentPaths() {}

  /** Everything under here authenticates with the agent token. */
  public static final String AGENT = "/api/ci/agent";
  public static final String POLL = AGENT + "/poll";
  public static final String HEARTBEAT = AGENT + "/heartbeat";
  public static final String RUNS = AGENT + "/runs/";
  /**
   * The hook's call: the pushed lines, with the time and a nonce in {@link #TIMESTAMP_HEADER}
   * and {@link #NONCE_HEADER}, all signed in {@link #SIGNATURE_HEADER}
   * (see {@link dev.gantry.ci.hook.HookMessage}).
   */
  public static final String HOOK = "/api/ci/hook";
  public static final String SIGNATURE_HEADER = "X-Gantry-Signature";
  public static final String TIMESTAMP_HEADER = "X-Gantry-Timestamp";
  public static final String NONCE_HEADER = "X-Gantry-Nonce";
  /**
   * The path of the repository whose hook calls (not signed: it can only make the server queue
   * nothing), so that a push to a repository this server does not guard is told so.
   */
  public static final String REPOSITORY_HEADER = "X-Gantry-Repository";

  /** The number of a log chunk in its run's stream, from 0, so that the server keeps them in order. */
  public static final String LOG_SEQ_HEADER = "X-Gantry-Log-Seq";

  public static String log(long run) {
    return RUNS + run + "/log";
  }

  public static String prepared(long run) {
    return RUNS + run + "/prepared";
  }

  public static String finished(long run) {
    return RUNS + run + "/finished";
  }
}
