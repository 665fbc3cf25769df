package dev.berth.agent.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The real agent in a testbed host as a transient unit (systemd-run; a new unit name per start
 * unless a test follows one unit's journal, as systemd may keep a stopped unit's name for a while;
 * collected when it ends and stopped with KillMode=mixed unless a test says otherwise), its
 * configuration, and its status over the control API's unix socket, read as JSON.
 */
final class TestbedAgent {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Where the agent's configuration lies in the host ({@code work} is mounted at /opt/e2e). */
  static final String CONFIG_FILE = "/opt/e2e/agent.yaml";

  private final Testbed testbed;
  private final Path work;
  private final boolean newUnitPerStart;
  private final boolean collected;
  private final boolean killModeMixed;
  private String unit = "berth-agent";
  private int starts;
  private boolean launched;

  /** An agent started as a new unit each time: berth-agent-1, berth-agent-2, … */
  TestbedAgent(Testbed testbed, Path work) {
    this(testbed, work, true, true, true);
  }

  private TestbedAgent(
      Testbed testbed,
      Path work,
      boolean newUnitPerStart,
      boolean collected,
      boolean killModeMixed) {
    this.testbed = testbed;
    this.work = work;
    this.newUnitPerStart = newUnitPerStart;
    this.collected = collected;
    this.killModeMixed = killModeMixed;
  }

  /**
   * An agent started as berth-agent each time, so that one {@code journalctl -u} spans its
   * restarts; under a new name only when systemd still holds the old one.
   */
  static TestbedAgent underOneName(Testbed testbed, Path work) {
    return new TestbedAgent(testbed, work, false, true, true);
  }

  /**
   * This agent with its unit left loaded when it ends (no {@code --collect}), so that systemd still
   * shows a killed agent as failed.
   */
  TestbedAgent uncollected() {
    return new TestbedAgent(testbed, work, newUnitPerStart, false, killModeMixed);
  }

  /**
   * This agent with systemd's default KillMode: a stop signals all of the unit's processes at once,
   * not the agent first and what it started after it (KillMode=mixed).
   */
  TestbedAgent withDefaultKillMode() {
    return new TestbedAgent(testbed, work, newUnitPerStart, collected, false);
  }

  /** The configuration the testbeds share; each test sets what it is about. */
  static Config config() {
    return Config.SHARED;
  }

  /** Writes {@code config} to /opt/e2e/agent.yaml, (re)starts the agent, waits until it answers. */
  void start(Config config) throws Exception {
    stop();
    configure(config);
    launch();
    Await.until(
        "the agent answers",
        Duration.ofSeconds(60),
        () -> testbed.agentApi("GET", "/api/v1/status").startsWith("200"),
        this::journal);
  }

  /** Writes {@code config} to /opt/e2e/agent.yaml, for the agent's next start. */
  void configure(Config config) throws IOException {
    Files.writeString(work.resolve("agent.yaml"), config.yaml());
  }

  /**
   * Starts the agent with the configuration in /opt/e2e/agent.yaml as a transient unit, and does
   * not wait for it.
   */
  void launch() throws Exception {
    if (newUnitPerStart) {
      unit = "berth-agent-" + ++starts;
    }
    Testbed.Result started;
    // After reset-failed systemd unloads the old unit a moment later; on a loaded machine it has
    // kept the name for more than a minute. After 5 s the agent starts under a new name instead.
    for (int attempt = 0; ; attempt++) {
      started = testbed.exec(command());
      if (started.exitCode() == 0 || !started.err().contains("already loaded") || attempt == 60) {
        break;
      }
      if (attempt == 25) {
        unit = "berth-agent-" + ++starts;
      }
      Thread.sleep(200);
    }
    started.orFail("starting the agent");
    launched = true;
  }

  private String[] command() {
    List<String> command = new ArrayList<>(List.of("systemd-run", "--unit=" + unit));
    if (collected) {
      command.add("--collect");
    }
    if (killModeMixed) {
      command.add("--property=KillMode=mixed");
    }
    command.addAll(
        List.of("java", "-jar", "/opt/berth/berth.jar", "agent", "--config", CONFIG_FILE));
    return command.toArray(String[]::new);
  }

  /** The agent's transient unit, for systemctl and journalctl. */
  String unit() {
    return unit;
  }

  void stop() throws Exception {
    if (launched) {
      testbed.exec("systemctl", "stop", unit).orFail("stopping the agent");
    }
  }

  /** The agent's status document; a missing node while it does not answer. */
  JsonNode status() {
    String answer = testbed.agentApi("GET", "/api/v1/status");
    if (!answer.startsWith("200 ")) {
      return JSON.missingNode();
    }
    try {
      return JSON.readTree(answer.substring(4));
    } catch (Exception e) {
      return JSON.missingNode();
    }
  }

  JsonNode latestPass() {
    return status().path("passes").path(0);
  }

  /** Container {@code name}'s entry of the status; a missing node when there is none. */
  JsonNode container(String name) {
    for (JsonNode container : status().path("containers")) {
      if (container.path("name").asText().equals(name)) {
        return container;
      }
    }
    return JSON.missingNode();
  }

  /** Waits until the newest pass matches {@code pass}, and returns it. */
  JsonNode awaitPass(String what, Duration timeout, Predicate<JsonNode> pass)
      throws InterruptedException {
    Await.until(
        what, timeout, () -> pass.test(latestPass()), () -> "\nstatus: " + status() + journal());
    return latestPass();
  }

  /** Asks for a pass now. */
  void reconcile() {
    testbed.agentApi("POST", "/api/v1/reconcile");
  }

  String journal() {
    try {
      return "\nthe agent's journal:\n"
          + testbed.exec("journalctl", "-u", unit, "--no-pager", "-o", "cat", "-n", "40").out();
    } catch (Exception e) {
      return "";
    }
  }

  /**
   * An agent configuration for a testbed host: host tb, the testbed's repository, the API on the
   * host's loopback port 9480, and what a test sets besides (lines under {@code source:}, {@code
   * sync:} and {@code http:}, the poll and the resync interval).
   */
  record Config(
      List<String> sourceLines,
      String interval,
      List<String> syncLines,
      String resyncInterval,
      List<String> httpLines) {
    private static final Config SHARED = new Config(List.of(), "2s", List.of(), "1m", List.of());

    Config {
      sourceLines = List.copyOf(sourceLines);
      syncLines = List.copyOf(syncLines);
      httpLines = List.copyOf(httpLines);
    }

    /** {@code lines} under {@code source:}, after the URL and before the poll interval. */
    Config source(String... lines) {
      return new Config(plus(sourceLines, lines), interval, syncLines, resyncInterval, httpLines);
    }

    /** How often the agent polls the repository. */
    Config interval(String interval) {
      return new Config(sourceLines, interval, syncLines, resyncInterval, httpLines);
    }

    /** {@code lines} under {@code sync:}, before the resync interval. */
    Config sync(String... lines) {
      return new Config(sourceLines, interval, plus(syncLines, lines), resyncInterval, httpLines);
    }

    Config resyncInterval(String resyncInterval) {
      return new Config(sourceLines, interval, syncLines, resyncInterval, httpLines);
    }

    /** {@code lines} under {@code http:}, after the listen address. */
    Config http(String... lines) {
      return new Config(sourceLines, interval, syncLines, resyncInterval, plus(httpLines, lines));
    }

    String yaml() {
      return """
          apiVersion: berth.dev/v1alpha1
          kind: AgentConfig
          host:
            name: tb
          source:
            url: file:///opt/e2e/repo.git
          %s  interval: %s
          sync:
          %s  resyncInterval: %s
          http:
            listen: 127.0.0.1:9480
          %s"""
          .formatted(
              indented(sourceLines),
              interval,
              indented(syncLines),
              resyncInterval,
              indented(httpLines));
    }

    private static String indented(List<String> lines) {
      return lines.stream().map(line -> "  " + line + "\n").collect(Collectors.joining());
    }

    private static List<String> plus(List<String> lines, String... more) {
      return Stream.concat(lines.stream(), Stream.of(more)).toList();
    }
  }
}
