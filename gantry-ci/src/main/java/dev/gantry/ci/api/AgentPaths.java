package dev.gantry.ci.api;

/** The HTTP paths of the agent protocol and the hook, shared by server, agent and hook. */
public final class AgentPaths {
  private AgentPaths() {}

  /** Everything under here authenticates with the agent token. */
  public static final String AGENT = "/api/ci/agent";
  public static final String POLL = AGENT + "/poll";
  public static final String HEARTBEAT = AGENT + "/heartbeat";
  public static final String RUNS = AGENT + "/runs/";
  /** Signed with HMAC-SHA256 of the body in {@link #SIGNATURE_HEADER}. */
  public static final String HOOK = "/api/ci/hook";
  public static final String SIGNATURE_HEADER = "X-Gantry-Signature";

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
