package dev.berth.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.agent.events.AgentEvent;
import dev.berth.agent.events.EventType;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class EventsCommandTest {
  @Test
  void oneLinePerEventWithTheRevisionShortened() {
    AgentEvent event =
        new AgentEvent(
            3,
            Instant.parse("2026-12-02T10:00:00.123Z"),
            EventType.ROLLED_BACK,
            "web",
            "0123456789abcdef0123456789abcdef01234567",
            "rolled back to generation 1\nin 2.0 s");

    assertThat(EventsCommand.line(event))
        .isEqualTo(
            "2026-12-02T10:00:00Z  rolledBack        web           0123456  rolled back to"
                + " generation 1 in 2.0 s");
  }

  @Test
  void anEventOfTheHostShowsDashes() {
    AgentEvent event =
        new AgentEvent(
            4, Instant.parse("2026-12-02T10:00:00Z"), EventType.FAILED, null, null, "pass failed");

    assertThat(EventsCommand.line(event))
        .isEqualTo("2026-12-02T10:00:00Z  failed            -             -        pass failed");
  }
}
