package dev.berth.agent.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.agent.events.AgentEvent;
import dev.berth.agent.events.EventJournal;
import dev.berth.agent.events.EventType;
import dev.berth.agent.source.SourceFailure;
import dev.berth.reconciler.apply.ContainerResult;
import dev.berth.reconciler.apply.Outcome;
import dev.berth.reconciler.plan.ActionClass;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;

class AgentEventsTest {
  private final ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
  private final EventJournal journal = new EventJournal(100, Clock.systemUTC());
  private final AgentEvents events =
      new AgentEvents(
          new ActionLog(new PrintStream(logBytes, true, StandardCharsets.UTF_8)), journal);

  private List<String> recorded() {
    return journal.after(0).events().stream()
        .map(
            e ->
                e.type().label()
                    + " "
                    + (e.container() == null ? "-" : e.container())
                    + " "
                    + (e.revision() == null ? "-" : e.revision())
                    + " "
                    + e.message())
        .toList();
  }

  private String log() {
    return logBytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void eachResultOfAPassBecomesItsEventAndItsJournalLine() {
    events.containerFinished(
        "c1",
        new ContainerResult("web", ActionClass.CREATE, Outcome.CONVERGED, "started it", false));
    events.containerFinished(
        "c1", new ContainerResult("db", ActionClass.START, Outcome.CONVERGED, "started it", true));
    events.containerFinished(
        "c1",
        new ContainerResult(
            "api", ActionClass.RELOAD, Outcome.ROLLED_BACK, "rolled back to generation 1", false));
    events.containerFinished(
        "c1",
        new ContainerResult("bad", ActionClass.RESTART, Outcome.FAILED, "unit failed", false));
    events.containerFinished(
        "c1", new ContainerResult("idle", ActionClass.NONE, Outcome.CONVERGED, "", false));
    events.containerFinished(
        "c1", new ContainerResult("dep", ActionClass.CREATE, Outcome.BLOCKED, "bad failed", false));

    assertThat(recorded())
        .containsExactly(
            "applied web c1 create: started it",
            "driftHealed db c1 start: started it",
            "rolledBack api c1 rolled back to generation 1",
            "failed bad c1 restart: unit failed");
    assertThat(log())
        .contains("msg=action container=web action=create revision=c1 result=converged")
        .contains(
            "container=db action=start revision=c1 result=converged detail=\"started it\" drift=true")
        .contains("msg=\"container rolled back\" container=api revision=c1 reason=RolledBack")
        .contains("container=dep action=create revision=c1 result=blocked")
        .doesNotContain("container=idle");
  }

  @Test
  void aFailureIsAnEventAsItBeginsNotAtEveryRetry() {
    ContainerResult failed =
        new ContainerResult("web", ActionClass.RESTART, Outcome.FAILED, "unit failed", false);
    events.containerFinished("c1", failed);
    events.containerFinished("c1", failed);
    events.containerFinished("c2", failed); // a new revision that fails too is news
    events.containerFinished(
        "c2", new ContainerResult("web", ActionClass.NONE, Outcome.CONVERGED, "", false));
    events.containerFinished("c2", failed); // failing again after it ran is news

    assertThat(recorded())
        .containsExactly(
            "failed web c1 restart: unit failed",
            "failed web c2 restart: unit failed",
            "failed web c2 restart: unit failed");
  }

  @Test
  void aRefusedSignatureIsAnEventOncePerCommit() {
    SourceFailure refused =
        new SourceFailure(
            SourceFailure.Reason.SIGNATURE_REFUSED, "c3", "commit c3 is not signed", null);
    events.sourceFailed(refused);
    events.sourceFailed(refused);
    events.sourceFailed(
        new SourceFailure(SourceFailure.Reason.UNREACHABLE, null, "connection refused", null));

    assertThat(recorded()).containsExactly("signatureRefused - c3 commit c3 is not signed");
    assertThat(log()).contains("msg=\"source failed\" reason=SignatureRefused revision=c3");
  }

  @Test
  void aHoldIsAnEventAsItBeginsAndAgainForANewReason() {
    events.rollout("c2", "rest", "WaitingForWave", "canary first");
    events.rollout("c2", "rest", "WaitingForWave", "canary first");
    events.rollout("c2", "rest", "Soaking", "canary soaks for 10m");
    events.rollout("c2", "rest", null, "the host applies revision c2");
    events.rollout("c3", "rest", "WaitingForWave", "canary first");

    assertThat(recorded())
        .containsExactly(
            "held - c2 WaitingForWave: canary first",
            "held - c2 Soaking: canary soaks for 10m",
            "held - c3 WaitingForWave: canary first");
  }

  @Test
  void anInvalidRevisionARefusedPruneAndACrashedPassAreEvents() {
    events.rejected("c4", List.of("web.yaml:3:5: unknown field \"imag\"", "db.yaml:1:1: x"));
    events.pruneRefused("c5", "would remove 6 containers, more than maxRemovals 5");
    events.pruneRefused("c5", "would remove 6 containers, more than maxRemovals 5");
    events.passFailed(new IllegalStateException("boom"));
    events.passFailed(new IllegalStateException("boom"));
    events.passRan();
    events.passFailed(new IllegalStateException("boom"));
    events.revisionApplied("c5", 1);

    assertThat(recorded())
        .containsExactly(
            "invalid - c4 InvalidManifests: 2 errors, the first: web.yaml:3:5: unknown field"
                + " \"imag\"",
            "refused - c5 MassPruneRefused: would remove 6 containers, more than maxRemovals 5",
            "failed - - pass failed: java.lang.IllegalStateException: boom",
            "failed - - pass failed: java.lang.IllegalStateException: boom",
            "applied - c5 revision applied (1 container here)");
    assertThat(journal.after(0).events()).extracting(AgentEvent::type).contains(EventType.REFUSED);
  }
}
