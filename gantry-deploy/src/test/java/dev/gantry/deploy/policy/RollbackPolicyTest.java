package dev.gantry.deploy.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.deploy.ledger.ReleaseRecord;
import dev.gantry.deploy.ledger.ReleaseRecord.Kind;
import dev.gantry.deploy.ledger.ReleaseRecord.Outcome;
import dev.gantry.deploy.model.GantrySystem;
import dev.gantry.deploy.policy.RollbackPolicy.Decision;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The rollback policy as a pure function over ledger histories. */
class RollbackPolicyTest {
  static final Instant T0 = Instant.parse("2025-05-24T10:00:00Z");
  static final GantrySystem SYSTEM = GantrySystem.named("capital")
      .service("db", s -> s.image("db").volume("pgdata", "/var/lib/db"))
      .service("app", s -> s.image("app").volume("events", "/data/events").eventSchema(4)
          .harmlessEvents("UserLoggedIn", "UserLoggedOut").inspect("list-events"));

  static ReleaseRecord rec(int minute, String release, int schema, Outcome outcome, String backup) {
    return new ReleaseRecord(minute, T0.plusSeconds(60L * minute), "capital", "prod", "capital", "compose", Kind.DEPLOY, outcome,
        release, Map.of("app", release, "db", release), Map.of(), Map.of(), Map.of("app", schema), backup, null, "me", null);
  }

  static final RollbackPolicy.EventInspector NONE = (s, since) -> List.of();

  @Test
  void sameSchemaRedeploysThePreviousRelease() {
    List<ReleaseRecord> h = List.of(rec(1, "A", 3, Outcome.SUCCEEDED, null), rec(2, "B", 3, Outcome.SUCCEEDED, "b2"));
    Decision d = RollbackPolicy.decide(SYSTEM, h, null, false, (s, since) -> {
      throw new AssertionError("no inspection needed");
    });
    assertThat(d).isInstanceOfSatisfying(Decision.Redeploy.class, r -> assertThat(r.target().release()).isEqualTo("A"));
  }

  @Test
  void failedDeploysAreSkippedBothAsCurrentAndAsTarget() {
    List<ReleaseRecord> h = List.of(rec(1, "A", 3, Outcome.SUCCEEDED, null), rec(2, "X", 3, Outcome.FAILED, "b2"),
        rec(3, "B", 3, Outcome.SUCCEEDED, "b3"), rec(4, "C", 3, Outcome.ROLLED_BACK, "b4"));
    Decision d = RollbackPolicy.decide(SYSTEM, h, null, false, NONE);
    assertThat(d).isInstanceOfSatisfying(Decision.Redeploy.class, r -> {
      assertThat(r.from().release()).isEqualTo("B");
      assertThat(r.target().release()).isEqualTo("A");
    });
  }

  @Test
  void schemaChangeIsRefusedWithoutAcceptance() {
    List<ReleaseRecord> h = List.of(rec(1, "A", 3, Outcome.SUCCEEDED, null), rec(2, "B", 4, Outcome.SUCCEEDED, "b2"));
    Decision d = RollbackPolicy.decide(SYSTEM, h, null, false, NONE);
    assertThat(d).isInstanceOfSatisfying(Decision.Refuse.class, r -> assertThat(r.reason())
        .contains("(app 3 -> 4)", "since 2025-05-24T10:02:00Z", "Roll forward", "backup taken before B (b2)"));
  }

  @Test
  void harmlessEventsSinceTheSuccessorsStartAllowARestore() {
    List<ReleaseRecord> h = List.of(rec(1, "A", 3, Outcome.SUCCEEDED, "b1"), rec(2, "B", 4, Outcome.SUCCEEDED, "b2"),
        rec(3, "C", 4, Outcome.ROLLED_BACK, "b3"));
    AtomicReference<Instant> asked = new AtomicReference<>();
    Decision d = RollbackPolicy.decide(SYSTEM, h, "A", true, (s, since) -> {
      asked.set(since);
      return List.of("UserLoggedIn", "UserLoggedIn", "UserLoggedOut", "");
    });
    assertThat(asked.get()).isEqualTo(T0.plusSeconds(120));
    assertThat(d).isInstanceOfSatisfying(Decision.RestoreAndRedeploy.class, r -> {
      assertThat(r.backupId()).isEqualTo("b2");
      assertThat(r.volumes()).containsExactly("events");
      assertThat(r.explanation()).contains("UserLoggedIn x2", "UserLoggedOut x1");
    });
  }

  @Test
  void anyHarmfulEventRefuses() {
    List<ReleaseRecord> h = List.of(rec(1, "A", 3, Outcome.SUCCEEDED, null), rec(2, "B", 4, Outcome.SUCCEEDED, "b2"));
    Decision d = RollbackPolicy.decide(SYSTEM, h, null, true, (s, since) -> List.of("UserLoggedIn", "LoanApproved", "LoanApproved"));
    assertThat(d).isInstanceOfSatisfying(Decision.Refuse.class,
        r -> assertThat(r.reason()).contains("not harmless", "LoanApproved x2").doesNotContain("UserLoggedIn x"));
  }

  @Test
  void noBackupOrNoInspectionRefuses() {
    List<ReleaseRecord> h = List.of(rec(1, "A", 3, Outcome.SUCCEEDED, null), rec(2, "B", 4, Outcome.SUCCEEDED, null));
    assertThat(RollbackPolicy.decide(SYSTEM, h, null, true, NONE)).isInstanceOfSatisfying(Decision.Refuse.class,
        r -> assertThat(r.reason()).contains("No backup was taken before B"));
    GantrySystem blind = GantrySystem.named("capital").service("app", s -> s.image("app").eventSchema(4));
    List<ReleaseRecord> h2 = List.of(rec(1, "A", 3, Outcome.SUCCEEDED, null), rec(2, "B", 4, Outcome.SUCCEEDED, "b2"));
    assertThat(RollbackPolicy.decide(blind, h2, null, true, NONE)).isInstanceOfSatisfying(Decision.Refuse.class,
        r -> assertThat(r.reason()).contains("declares no inspect command"));
  }

  @Test
  void targetsThatCannotBeUsed() {
    assertThat(RollbackPolicy.decide(SYSTEM, List.of(), null, false, NONE)).isInstanceOfSatisfying(Decision.Refuse.class,
        r -> assertThat(r.reason()).contains("nothing to roll back"));
    List<ReleaseRecord> one = List.of(rec(1, "A", 3, Outcome.SUCCEEDED, null));
    assertThat(RollbackPolicy.decide(SYSTEM, one, null, false, NONE)).isInstanceOfSatisfying(Decision.Refuse.class,
        r -> assertThat(r.reason()).contains("no earlier release"));
    List<ReleaseRecord> h = List.of(rec(1, "A", 3, Outcome.SUCCEEDED, null), rec(2, "Z", 3, Outcome.FAILED, null),
        rec(3, "B", 3, Outcome.SUCCEEDED, "b"));
    assertThat(RollbackPolicy.decide(SYSTEM, h, "Z", false, NONE)).isInstanceOfSatisfying(Decision.Refuse.class,
        r -> assertThat(r.reason()).contains("release Z never ran successfully here", "earlier releases: A"));
    assertThat(RollbackPolicy.decide(SYSTEM, h, "B", false, NONE)).isInstanceOfSatisfying(Decision.Refuse.class,
        r -> assertThat(r.reason()).contains("release B is the one running now"));
  }

  @Test
  void everyHistoryOfUpToFiveEntriesGetsADecisionThatNeverTargetsTheCurrentOrAFailedRelease() {
    String[] releases = {"A", "B", "C"};
    Outcome[] outcomes = Outcome.values();
    List<List<ReleaseRecord>> histories = new ArrayList<>();
    histories.add(List.of());
    for (int len = 1; len <= 5; len++) {
      List<List<ReleaseRecord>> next = new ArrayList<>();
      for (List<ReleaseRecord> h : histories) {
        if (h.size() != len - 1) {
          continue;
        }
        for (String r : releases) {
          for (Outcome o : outcomes) {
            for (int schema = 1; schema <= 2; schema++) {
              List<ReleaseRecord> copy = new ArrayList<>(h);
              copy.add(rec(len, r, schema, o, "b" + len));
              next.add(copy);
            }
          }
        }
      }
      histories.addAll(next);
    }
    assertThat(histories.size()).isGreaterThan(100_000);
    for (List<ReleaseRecord> h : histories) {
      for (boolean accept : new boolean[] {false, true}) {
        Decision d = RollbackPolicy.decide(SYSTEM, h, null, accept, (s, since) -> List.of("UserLoggedIn"));
        switch (d) {
          case Decision.Redeploy r -> {
            assertThat(r.target().succeeded()).isTrue();
            assertThat(r.target().release()).isNotEqualTo(r.from().release());
            assertThat(r.target().schemas()).isEqualTo(r.from().schemas());
          }
          case Decision.RestoreAndRedeploy r -> {
            assertThat(accept).isTrue();
            assertThat(r.target().succeeded()).isTrue();
            assertThat(r.target().schemas()).isNotEqualTo(r.from().schemas());
            assertThat(r.backupId()).isNotNull();
          }
          case Decision.Refuse r -> assertThat(r.reason()).isNotBlank();
        }
      }
    }
  }
}
