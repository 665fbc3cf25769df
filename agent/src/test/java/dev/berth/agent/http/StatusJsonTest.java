package dev.berth.agent.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.berth.agent.status.AgentStatus;
import dev.berth.agent.status.Condition;
import dev.berth.agent.status.ConditionReason;
import dev.berth.agent.status.ContainerStatus;
import dev.berth.agent.status.PassRecord;
import dev.berth.agent.status.RolloutStatus;
import dev.berth.agent.status.SourceStatus;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatusJsonTest {

  static AgentStatus sample() {
    Instant at = Instant.parse("2024-05-01T12:00:00Z");
    return new AgentStatus(
        "host-a",
        "0.1.0",
        false,
        true,
        new SourceStatus(
            "https://git.example/fleet.git",
            "main",
            "abc123",
            "abc123",
            at,
            at,
            null,
            null,
            "https://git.example/fleet.git"),
        "abc123",
        "abc123",
        List.of(),
        List.of(
            new ContainerStatus(
                "web",
                "Running",
                List.of(
                    new Condition(
                        "Ready",
                        true,
                        ConditionReason.RECONCILIATION_SUCCEEDED.camelCase(),
                        "running at abc123",
                        at)),
                "abc123",
                "abc123",
                null,
                false,
                false)),
        List.of(
            new PassRecord(
                at,
                Duration.ofMillis(250),
                Duration.ofMillis(12),
                "abc123",
                "poll",
                "success",
                List.of("create web"))),
        new RolloutStatus(
            "canary",
            "def456",
            new Condition("RolloutHeld", true, "Soaking", "Soaking 4m left", at)));
  }

  @Test
  void writesTimesAsIsoStringsAndReadsThemBack() throws Exception {
    String json = new String(StatusJson.write(sample()), StandardCharsets.UTF_8);
    assertThat(json)
        .contains("\"lastTransitionTime\" : \"2024-05-01T12:00:00Z\"")
        .contains("\"duration\" : \"PT0.25S\"")
        .contains("\"host\" : \"host-a\"")
        .contains("\"reason\" : \"Soaking\"");
    assertThat(StatusJson.read(json)).isEqualTo(sample());
  }

  @Test
  void aNewerAgentsExtraFieldsAreIgnored() throws Exception {
    String json = new String(StatusJson.write(sample()), StandardCharsets.UTF_8);
    String newer = json.replaceFirst("\\{", "{ \"addedLater\" : 1,");
    assertThat(StatusJson.read(newer)).isEqualTo(sample());
  }

  @Test
  void aMalformedTimeIsAJsonError() {
    String json = "{\"source\": {\"lastFetchAttempt\": \"yesterday\"}}";
    assertThatThrownBy(() -> StatusJson.read(json))
        .isInstanceOf(JsonProcessingException.class)
        .hasMessageContaining("yesterday");
  }
}
