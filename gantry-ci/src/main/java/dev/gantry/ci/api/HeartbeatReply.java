package dev.gantry.ci.api;

import java.util.List;

/** The server's answer to a heartbeat: runs the agent must stop (kill their process trees). */
public record HeartbeatReply(List<Long> cancel) {
  public HeartbeatReply {
    cancel = List.copyOf(cancel);
  }
}
