package dev.gantry.ci.server;

import dev.gantry.ci.api.AgentHello;
import dev.gantry.ci.api.HeartbeatReply;
import dev.gantry.ci.api.JobOffer;
import dev.gantry.ci.git.Mirror;
import dev.gantry.ci.pipeline.StepSpec;
import dev.gantry.ci.queue.Candidate;
import dev.gantry.ci.queue.Event;
import dev.gantry.ci.queue.Job;
import dev.gantry.ci.queue.JobStatus;
import dev.gantry.ci.queue.Patch;
import dev.gantry.ci.queue.QueueState;
import dev.gantry.ci.queue.Scheduler;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The agents the server knows: hands out runs to long-polling agents, hears heartbeats,
 * relays cancellations, and declares an agent lost when it falls silent.
 */
final class AgentHub {
  /** An agent as last heard from. */
  record Seen(AgentHello hello, Instant lastSeen, boolean online) {}

  private final QueueRunner runner;
  private final CiSettings settings;
  private final Clock clock;
  private final Map<String, Seen> agents = new ConcurrentHashMap<>();
  private final Map<String, Set<Long>> cancels = new ConcurrentHashMap<>();
  private volatile boolean released;

  AgentHub(QueueRunner runner, CiSettings settings, Clock clock) {
    this.runner = runner;
    this.settings = settings;
    this.clock = clock;
    // after a restart, agents that were running something get the usual time to show up
    for (Job j : runner.state().runningJobs().values()) {
      agents.putIfAbsent(j.agent(), new Seen(new AgentHello(j.agent(), List.of(), 0, List.of(j.id())), clock.instant(), true));
    }
  }

  private void touch(AgentHello h) {
    Seen before = agents.put(h.name(), new Seen(h, clock.instant(), true));
    if (before == null || !before.online() || before.hello().slots() != h.slots()) {
      reportSlots();
    }
  }

  /** Tells the queue how many run slots the online agents offer, when that changed: the window of speculative candidates follows it. */
  private void reportSlots() {
    int slots = agents.values().stream().filter(Seen::online).mapToInt(a -> Math.max(1, a.hello().slots())).sum();
    synchronized (runner) {
      if (runner.state().slots() != slots) {
        runner.apply(new Event.AgentSlots(slots));
      }
    }
  }

  /**
   * Answers every waiting poll at once, empty, and every later one without waiting: the web
   * server is stopping and must not wait out agents' long polls.
   */
  void release() {
    released = true;
    synchronized (runner) {
      runner.notifyAll();
    }
  }

  /** Waits up to {@code wait} for a run this agent can take. */
  Optional<JobOffer> poll(AgentHello h, Duration wait) throws InterruptedException {
    touch(h);
    Instant deadline = clock.instant().plus(wait);
    Set<String> caps = new HashSet<>(h.capabilities());
    synchronized (runner) {
      while (true) {
        QueueState s = runner.state();
        long busy = s.runningJobs().values().stream().filter(j -> h.name().equals(j.agent())).count();
        if (busy < Math.max(1, h.slots())) {
          Optional<Job> job = Scheduler.pick(s, h.name(), caps);
          if (job.isPresent()) {
            runner.apply(new Event.JobAssigned(job.get().id(), h.name()));
            return Optional.of(offer(runner.state(), job.get()));
          }
        }
        Duration left = Duration.between(clock.instant(), deadline);
        if (released || left.isNegative() || left.isZero()) {
          return Optional.empty();
        }
        runner.awaitChange(left);
        touch(h);
      }
    }
  }

  private JobOffer offer(QueueState s, Job job) {
    Candidate c = s.candidate(job.candidate()).orElseThrow();
    StepSpec step = job.prepare() ? null : c.graph().step(job.step()).orElseThrow();
    List<String> patches = new ArrayList<>();
    for (long id : s.contained(c)) {
      Patch p = s.patches().get(id);
      patches.add(p.id() + ":" + p.branch() + ":" + p.commit());
    }
    return new JobOffer(job.id(), c.id(), job.prepare(), settings.repository(), Mirror.candidateRef(c.id()), c.commit(), step, patches,
        settings.runUrl(job.id()));
  }

  /** Records the heartbeat; answers with the runs the agent must stop. */
  HeartbeatReply heartbeat(AgentHello h) {
    touch(h);
    QueueState s = runner.state();
    Set<Long> stop = new HashSet<>(Optional.ofNullable(cancels.remove(h.name())).orElse(Set.of()));
    for (long run : h.running()) {
      Job j = s.jobs().get(run);
      if (j == null || j.status() != JobStatus.RUNNING || !h.name().equals(j.agent())) {
        stop.add(run);
      }
    }
    // a run the server gave this agent a while ago that the agent does not know: it restarted
    Duration grace = settings.agentTimeout().compareTo(Duration.ofSeconds(5)) < 0 ? settings.agentTimeout() : Duration.ofSeconds(5);
    boolean forgotten = s.runningJobs().values().stream()
        .anyMatch(j -> h.name().equals(j.agent()) && !h.running().contains(j.id()) && j.started().plus(grace).isBefore(clock.instant()));
    if (forgotten) {
      runner.apply(new Event.AgentLost(h.name()));
    }
    return new HeartbeatReply(List.copyOf(stop));
  }

  void cancel(String agent, long run) {
    if (agent != null) {
      cancels.computeIfAbsent(agent, a -> ConcurrentHashMap.newKeySet()).add(run);
    }
  }

  /** Declares silent agents lost, so their runs are handed out again. */
  void reap() {
    Instant limit = clock.instant().minus(settings.agentTimeout());
    for (Seen seen : List.copyOf(agents.values())) {
      if (seen.online() && seen.lastSeen().isBefore(limit)) {
        String name = seen.hello().name();
        agents.computeIfPresent(name, (n, s) -> s.lastSeen().isBefore(limit) ? new Seen(s.hello(), s.lastSeen(), false) : s);
        boolean busy = runner.state().runningJobs().values().stream().anyMatch(j -> name.equals(j.agent()));
        if (busy) {
          runner.apply(new Event.AgentLost(name));
        }
        reportSlots();
      }
    }
  }

  /**
   * Why each ready run that no online agent can take is waiting, by run id: shown at once
   * in the status, the pages and the run's log, instead of a silent "pending".
   */
  Map<Long, String> waiting() {
    return Scheduler.whyWaiting(runner.state(), onlineCapabilities());
  }

  /** Each online agent's name to the capabilities it offers. */
  Map<String, Set<String>> onlineCapabilities() {
    Map<String, Set<String>> out = new TreeMap<>();
    agents.forEach((name, seen) -> {
      if (seen.online()) {
        out.put(name, Set.copyOf(seen.hello().capabilities()));
      }
    });
    return out;
  }

  /** The agents by name, for the agents page. */
  Map<String, Seen> agents() {
    return new TreeMap<>(agents);
  }
}
