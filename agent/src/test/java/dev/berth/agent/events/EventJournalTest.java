package dev.berth.agent.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventJournalTest {
  private static final Instant NOW = Instant.parse("2026-12-02T10:00:00Z");
  private final EventJournal journal = new EventJournal(3, Clock.fixed(NOW, ZoneOffset.UTC));

  @Test
  void numbersEventsFromOneInTheOrderTheyHappen() {
    AgentEvent first = journal.record(EventType.APPLIED, "web", "c1", "create: started it");
    AgentEvent second = journal.record(EventType.INVALID, null, "c2", "InvalidManifests: 1 error");

    assertThat(first)
        .isEqualTo(new AgentEvent(1, NOW, EventType.APPLIED, "web", "c1", "create: started it"));
    assertThat(second.sequence()).isEqualTo(2);
    assertThat(journal.after(0)).isEqualTo(new EventJournal.Page(2, 0, List.of(first, second)));
  }

  @Test
  void afterGivesOnlyTheNewerEvents() {
    journal.record(EventType.APPLIED, "web", "c1", "a");
    AgentEvent second = journal.record(EventType.FAILED, "db", "c1", "b");

    assertThat(journal.after(1).events()).containsExactly(second);
    assertThat(journal.after(2).events()).isEmpty();
    assertThat(journal.after(2).latest()).isEqualTo(2);
  }

  @Test
  void keepsOnlyTheNewestAndCountsTheDroppedOnes() {
    for (int i = 1; i <= 5; i++) {
      journal.record(EventType.APPLIED, "web", "c" + i, "event " + i);
    }

    EventJournal.Page page = journal.after(0);
    assertThat(page.events()).extracting(AgentEvent::sequence).containsExactly(3L, 4L, 5L);
    assertThat(page.dropped()).isEqualTo(2);
    assertThat(page.latest()).isEqualTo(5);
  }

  @Test
  void listenersHearEveryEventInOrderAndOneThatFailsStopsNothing() {
    List<Long> heard = new ArrayList<>();
    journal.listen(
        event -> {
          throw new IllegalStateException("a listener's bug");
        });
    journal.listen(event -> heard.add(event.sequence()));

    journal.record(EventType.HELD, null, "c1", "WaitingForWave: canary first");
    journal.record(EventType.APPLIED, null, "c1", "revision applied");

    assertThat(heard).containsExactly(1L, 2L);
  }

  @Test
  void labelsAreTheNamesOnTheWire() {
    assertThat(EventType.of("rolledBack")).contains(EventType.ROLLED_BACK);
    assertThat(EventType.of("rolled_back")).isEmpty();
    assertThat(EventType.labels())
        .isEqualTo(
            "applied, failed, rolledBack, driftHealed, signatureRefused, held, invalid, refused");
  }

  @Test
  void aRevisionIsShortenedAsGitAbbreviatesIt() {
    AgentEvent event =
        journal.record(
            EventType.APPLIED, null, "0123456789abcdef0123456789abcdef01234567", "applied");
    assertThat(event.shortRevision()).isEqualTo("0123456");
    assertThat(journal.record(EventType.FAILED, null, null, "pass failed").shortRevision())
        .isEmpty();
  }
}
