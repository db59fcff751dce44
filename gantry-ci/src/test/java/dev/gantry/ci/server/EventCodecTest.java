package dev.gantry.ci.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.ci.pipeline.StepGraph;
import dev.gantry.ci.pipeline.StepSpec;
import dev.gantry.ci.queue.Event;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EventCodecTest {
  @Test
  void everyEventSurvivesTheLog() {
    StepGraph g = StepGraph.of(List.of(StepSpec.shell("a", "x"), StepSpec.shell("b", "y", "a").withRequires(Set.of("docker")).withRetries(2)));
    List<Event> all = List.of(
        new Event.PatchSubmitted("review/x", "abc", "Ann <a@b>", "fix"),
        new Event.PatchSubmitted("review/y", "abd", "Ann <a@b>", "fix", true),
        new Event.CandidateBuilt(1, "m", "c"),
        new Event.CandidateConflict(1, 2, List.of("a", "b")),
        new Event.CandidateBuildFailed(1, 0, "gone"),
        new Event.JobAssigned(3, "agent"),
        new Event.PrepareSucceeded(3, g),
        new Event.JobFinished(3, true, "exit 0"),
        new Event.AgentLost("agent"),
        new Event.AgentSlots(3),
        new Event.MergeSucceeded(1, "m2"),
        new Event.MergeRejected(1, "m3", "moved"),
        new Event.Paused("why"),
        new Event.Resumed(),
        new Event.Removed(4),
        new Event.Retried(4),
        new Event.StepSkipped(1, "b"),
        new Event.RunUnschedulable(5, "waiting for an agent offering gpu; no agent is online"));
    assertThat(all.stream().map(Object::getClass).distinct()).hasSize(Event.class.getPermittedSubclasses().length);
    for (Event e : all) {
      assertThat(EventCodec.read(EventCodec.type(e), EventCodec.body(e))).isEqualTo(e);
    }
    // a log written before the priority lane existed reads as ordinary patches
    assertThat(EventCodec.read("PatchSubmitted", "{\"branch\":\"review\",\"commit\":\"abc\",\"author\":\"a\",\"subject\":\"s\"}"))
        .isEqualTo(new Event.PatchSubmitted("review", "abc", "a", "s"));
    assertThatThrownBy(() -> EventCodec.read("Nonsense", "{}")).hasMessageContaining("unknown event type 'Nonsense'");
  }
}
