package dev.berth.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.agent.fleet.MidRollout;
import dev.berth.agent.fleet.RealPrometheus;
import dev.berth.agent.fleet.ScrapedAgent;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code berth fleet} against a real Prometheus that scrapes three agents' real metrics. */
class FleetCommandIT {
  @TempDir Path dir;
  private final List<AutoCloseable> open = new ArrayList<>();

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable closeable : open) {
      closeable.close();
    }
  }

  @Test
  void showsEveryHostByWaveThenHostAsATableAndAsJson() throws Exception {
    MidRollout.Scraped scraped = MidRollout.scraped(dir, open);
    List<ScrapedAgent> agents = scraped.agents();
    RealPrometheus prometheus = scraped.prometheus();
    String url = prometheus.url().toString();

    Cli table = Cli.run("fleet", "--prometheus", url);

    assertThat(table.exitCode()).as(table.err()).isZero();
    assertThat(table.out().lines())
        .containsExactly(
            "HOST  WAVE    REVISION      READY  FAILING  DRIFTED  HELD  WHY",
            "h1    canary  fedcba987654  2      0        1        no    -",
            "h2    canary  fedcba987654  1      2        0        yes   GateFailed",
            "h3    rest    0123456789ab  4      0        0        yes   WaitingForWave");

    Cli json = Cli.run("fleet", "--prometheus", url, "--output", "json");

    assertThat(json.exitCode()).as(json.err()).isZero();
    JsonNode hosts = new ObjectMapper().readTree(json.out()).path("hosts");
    assertThat(hosts).hasSize(3);
    JsonNode h1 = hosts.get(0);
    assertThat(h1.path("host").asText()).isEqualTo("h1");
    assertThat(h1.path("target").asText()).isEqualTo("berth/" + agents.get(0).target());
    assertThat(h1.path("labels").path("topology.kubernetes.io/zone").asText()).isEqualTo("eu-1a");
    assertThat(h1.path("appliedRevision").asText()).isEqualTo(MidRollout.R2);
    assertThat(h1.path("convergedSince").asText()).isEqualTo(MidRollout.CONVERGED.toString());
    assertThat(h1.path("heldReason").isNull()).isTrue();
    assertThat(h1.path("reporting").asBoolean()).isTrue();
    JsonNode h2 = hosts.get(1);
    assertThat(h2.path("failed").asInt()).isEqualTo(1);
    assertThat(h2.path("rolledBack").asInt()).isEqualTo(1);
    assertThat(h2.path("heldReason").asText()).isEqualTo("GateFailed");
    assertThat(h2.path("convergedSince").isNull()).isTrue();

    agents.get(1).stop();
    prometheus.awaitCount("berth_host_info", 2);
    assertThat(Cli.run("fleet", "--prometheus", url).out().lines())
        .contains(
            "h2    canary  fedcba987654  1      2        ?        ?     not reporting (agent down?)");

    prometheus.close();
    Cli down = Cli.run("fleet", "--prometheus", url);
    assertThat(down.exitCode()).isEqualTo(2);
    assertThat(down.err())
        .isEqualTo(
            "berth: Prometheus at "
                + url
                + " cannot be reached (connection refused or no route)\n");
  }
}
