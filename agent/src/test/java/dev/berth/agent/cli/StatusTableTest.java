package dev.berth.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.agent.http.AgentClient;
import dev.berth.agent.status.AgentStatus;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The table of {@code berth status}, from a real agent's document: the one DriftE2E's agent sent
 * (status/drift-e2e.json, as {@code berth status -o json} printed it), three minutes after its
 * container's last transition.
 */
class StatusTableTest {
  private static final Instant NOW = Instant.parse("2026-12-03T09:02:52Z");
  private static final ObjectMapper JSON = new ObjectMapper();

  static String realDocument() throws IOException {
    try (InputStream in = StatusTableTest.class.getResourceAsStream("/status/drift-e2e.json")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static AgentStatus read(String json) {
    return AgentClient.overSocket(Path.of("/nonexistent.sock")).status(json);
  }

  @Test
  void aRealDocumentIsAContainerTableThenTheSourceAndTheAgent() throws Exception {
    String table = new StatusTable(NOW, false).render(read(realDocument()));

    assertThat(table)
        .isEqualTo(
            """
            CONTAINER  PHASE    READY  REVISION      AGE  MESSAGE
            a          Running  True   2d1d3738fa00  3m   up to date

            SOURCE
              remote:    file:///opt/e2e/repo.git (branch main)
              revision:  2d1d3738fa00
              verified:  -
              fetched:   3m ago (2026-12-03T08:59:36Z)
            AGENT
              host:      tb (berth 0.1.0-SNAPSHOT)
              suspended: no
              held:      no
              last pass: success 2m ago (2026-12-03T08:59:54Z), host-event, 0 actions
            """);
  }

  @Test
  void withColourThePhaseAndReadinessAreTintedAndTheColumnsStayAligned() throws Exception {
    String table = new StatusTable(NOW, true).render(read(realDocument()));

    assertThat(table.lines().toList().get(1))
        .isEqualTo(
            "a          \u001b[32mRunning\u001b[39m  \u001b[32mTrue\u001b[39m   2d1d3738fa00  3m   up"
                + " to date");
    assertThat(table.lines().toList().get(0)).doesNotContain("\u001b");
  }

  @Test
  void aFailingContainerAnInvalidRevisionAHoldAndAMirrorAreShown() throws Exception {
    ObjectNode document = (ObjectNode) JSON.readTree(realDocument());
    ObjectNode a = (ObjectNode) document.path("containers").path(0);
    a.put("phase", "Failed");
    ObjectNode ready = (ObjectNode) a.path("conditions").path(0);
    ready.put("status", false);
    ready.put("message", "start failed:\n  the unit's result is exit-code");
    ready.put("lastTransitionTime", "2026-12-01T08:00:00Z");
    document.putArray("errors").add("demo/cache.yaml:3:3: unknown field \"colour\" in spec");
    ObjectNode source = (ObjectNode) document.path("source");
    source.put("servedBy", "file:///opt/e2e/mirror.git");
    source.put("lastErrorReason", "SourceUnreachable");
    source.put("lastError", "file:///opt/e2e/repo.git: not found");
    ObjectNode rollout = document.putObject("rollout");
    rollout.put("wave", "canary");
    rollout.put("revision", "2d1d3738fa00a44937726c7dafbdd27e7ba27e0b");
    ObjectNode held = rollout.putObject("held");
    held.put("type", "RolloutHeld");
    held.put("status", true);
    held.put("reason", "Soaking");
    held.put("message", "soaking, 4m left");
    held.put("lastTransitionTime", "2026-12-03T09:00:00Z");

    String table = new StatusTable(NOW, false).render(read(JSON.writeValueAsString(document)));

    assertThat(table)
        .contains(
            "a          Failed  False  2d1d3738fa00  2d   start failed: the unit's result is"
                + " exit-code\n")
        .contains("  remote:    file:///opt/e2e/repo.git (branch main)\n")
        .contains("  served by: file:///opt/e2e/mirror.git\n")
        .contains("  error:     SourceUnreachable: file:///opt/e2e/repo.git: not found\nAGENT\n")
        .contains("  held:      yes, Soaking: soaking, 4m left (wave canary)\n")
        .endsWith("  error:     demo/cache.yaml:3:3: unknown field \"colour\" in spec\n");
  }

  @Test
  void noContainersIsOneLine() throws Exception {
    ObjectNode document = (ObjectNode) JSON.readTree(realDocument());
    document.putArray("containers");
    document.putArray("passes");

    String table = new StatusTable(NOW, false).render(read(JSON.writeValueAsString(document)));

    assertThat(table)
        .startsWith("no containers on this host\n\nSOURCE\n")
        .contains("  last pass: none yet\n");
  }

  @Test
  void agesAreShownAsKubectlShowsThem() {
    assertThat(StatusTable.age(Duration.ofSeconds(-5))).isEqualTo("0s");
    assertThat(StatusTable.age(Duration.ofSeconds(119))).isEqualTo("119s");
    assertThat(StatusTable.age(Duration.ofSeconds(120))).isEqualTo("2m");
    assertThat(StatusTable.age(Duration.ofMinutes(119))).isEqualTo("119m");
    assertThat(StatusTable.age(Duration.ofHours(2))).isEqualTo("2h");
    assertThat(StatusTable.age(Duration.ofHours(47))).isEqualTo("47h");
    assertThat(StatusTable.age(Duration.ofDays(4).plusHours(5))).isEqualTo("4d");
  }
}
