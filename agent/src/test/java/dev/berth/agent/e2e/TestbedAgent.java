package dev.berth.agent.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Predicate;

/**
 * The real agent in a testbed host as a transient unit (systemd-run, a new unit name per start:
 * systemd may keep a stopped unit's name for a while), and its status over the control API's unix
 * socket, read as JSON.
 */
final class TestbedAgent {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Testbed testbed;
  private final Path work;
  private String unit;
  private int starts;

  TestbedAgent(Testbed testbed, Path work) {
    this.testbed = testbed;
    this.work = work;
  }

  /** Writes {@code config} to /opt/e2e/agent.yaml, (re)starts the agent, waits until it answers. */
  void start(String config) throws Exception {
    stop();
    Files.writeString(work.resolve("agent.yaml"), config);
    unit = "berth-agent-" + ++starts;
    testbed
        .exec(
            "systemd-run",
            "--unit=" + unit,
            "--collect",
            "--property=KillMode=mixed",
            "java",
            "-jar",
            "/opt/berth/berth.jar",
            "agent",
            "--config",
            "/opt/e2e/agent.yaml")
        .orFail("starting the agent");
    Await.until(
        "the agent answers",
        Duration.ofSeconds(60),
        () -> testbed.agentApi("GET", "/api/v1/status").startsWith("200"),
        this::journal);
  }

  void stop() throws Exception {
    if (unit != null) {
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
}
