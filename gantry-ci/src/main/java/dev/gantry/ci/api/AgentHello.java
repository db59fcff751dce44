package dev.gantry.ci.api;

import java.util.List;

/**
 * What an agent says each time it asks for work or heartbeats.
 *
 * @param running the runs it is executing now
 */
public record AgentHello(String name, List<String> capabilities, int slots, List<Long> running) {
  public AgentHello {
    capabilities = capabilities == null ? List.of() : List.copyOf(capabilities);
    running = running == null ? List.of() : List.copyOf(running);
  }
}
