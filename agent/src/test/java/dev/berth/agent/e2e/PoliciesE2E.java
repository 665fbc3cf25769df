package dev.berth.agent.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The agent's sync policies (README, "Passes"; docs/files-on-a-host.md) on a real systemd host,
 * each with the agent configuration that sets it: the agent restarts with a new configuration
 * between scenarios, which build on each other in order. The last shows {@code berth diff} beside a
 * suspended agent.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PoliciesE2E {
  private static final Path JAR_DIR = Path.of("target");
  private static final Duration PASS = Duration.ofSeconds(45);

  private Path work;
  private Testbed testbed;
  private BusyboxImage image;
  private GitRepo repo;
  private TestbedAgent agent;

  @BeforeAll
  void boot() throws Exception {
    work = Files.createTempDirectory("berth-policies-e2e");
    image = BusyboxImage.build(work);
    repo = GitRepo.create(work);
    repo.write("apps/a.yaml", image.killable("a"));
    repo.commitAndPush("a");
    testbed = Testbed.boot(JAR_DIR, work);
    agent = new TestbedAgent(testbed, work);
  }

  @AfterAll
  void shutDown() throws Exception {
    if (testbed != null) {
      testbed.close();
    }
  }

  @Test
  @Order(1)
  void startedWithSyncSuspendTheAgentObservesAndChangesNothing() throws Exception {
    restartAgent("suspend: true");

    JsonNode pass = awaitPass("suspended", repo.head());

    assertThat(pass.path("actions").toString()).doesNotContain("converged");
    assertThat(exists("/var/lib/machines/a")).isFalse();
    assertThat(exists("/etc/systemd/nspawn/a.nspawn")).isFalse();
    assertThat(agent.status().path("suspended").asBoolean()).isTrue();
  }

  @Test
  @Order(2)
  void anAgentWideSuspendSurvivesARestartAndResumeAppliesWhatWaited() throws Exception {
    restartAgent();
    Await.until("a runs", PASS, testbed.running("a"));
    assertThat(testbed.agentApi("POST", "/api/v1/suspend")).startsWith("200");

    restartAgent();
    repo.write("apps/b.yaml", image.killable("b"));
    repo.commitAndPush("b");
    agent.reconcile();
    awaitPass("suspended", repo.head());

    assertThat(agent.status().path("suspended").asBoolean()).isTrue();
    assertThat(exists("/var/lib/machines/b")).isFalse();
    assertThat(testbed.unitProperty("a", "ActiveState")).isEqualTo("active");

    assertThat(testbed.agentApi("POST", "/api/v1/resume")).startsWith("200");
    Await.until("b runs after the resume", PASS, testbed.running("b"));
  }

  @Test
  @Order(3)
  void withSelfHealOffAContainerStoppedByHandIsReportedAsDriftAndLeftStopped() throws Exception {
    restartAgent("selfHeal: false");
    awaitPass("success", repo.head());
    testbed.exec("systemctl", "stop", "systemd-nspawn@a.service").orFail("stopping a by hand");

    Await.until(
        "a is reported as drifted",
        PASS,
        () -> agent.container("a").path("drifted").asBoolean(),
        () -> "\nstatus: " + agent.status());
    // Two more passes, each of which would have started a with selfHeal on.
    for (int i = 0; i < 2; i++) {
      String before = agent.latestPass().path("started").asText();
      agent.reconcile();
      Await.until(
          "one more pass",
          PASS,
          () -> !agent.latestPass().path("started").asText().equals(before),
          () -> "\nstatus: " + agent.status());
    }

    assertThat(testbed.unitProperty("a", "ActiveState")).isIn("inactive", "failed");
    assertThat(agent.container("a").path("drifted").asBoolean()).isTrue();
    assertThat(metrics()).contains("berth_container_drifted{container=\"a\"} 1.0");
  }

  @Test
  @Order(4)
  void aChangeInsideAnInvalidCommitIsHeldBackWithTheRestOfIt() throws Exception {
    restartAgent();
    Await.until("a runs again (selfHeal on)", PASS, testbed.running("a"));
    String good = repo.head();
    repo.write("apps/a.yaml", image.killable("a", "resources:", "  memoryMax: 64M"));
    repo.write("apps/c.yaml", image.killable("c", "colour: blue"));
    repo.commitAndPush("a: 64M; c with a typo");
    agent.reconcile();

    Await.until(
        "the invalid commit is reported",
        PASS,
        () -> agent.status().path("errors").toString().contains("apps/c.yaml:"),
        () -> "\nstatus: " + agent.status());
    assertThat(agent.status().path("lastAppliedRevision").asText()).isEqualTo(good);
    assertThat(testbed.unitProperty("a", "MemoryMax")).isEqualTo("infinity");
    assertThat(exists("/var/lib/machines/c")).isFalse();

    repo.write("apps/c.yaml", image.killable("c"));
    repo.write("apps/d.yaml", image.killable("d", "removePolicy: Delete"));
    repo.commitAndPush("c fixed; d");
    agent.reconcile();
    awaitPass("success", repo.head());
    assertThat(testbed.unitProperty("a", "MemoryMax")).isEqualTo("67108864");
    assertThat(testbed.unitProperty("c", "ActiveState")).isEqualTo("active");
    assertThat(testbed.unitProperty("d", "ActiveState")).isEqualTo("active");
  }

  @Test
  @Order(5)
  void withPruneOffAContainerWhoseManifestIsGoneKeepsRunning() throws Exception {
    restartAgent("prune: false");
    repo.delete("apps/b.yaml");
    repo.commitAndPush("b's manifest goes");
    agent.reconcile();
    awaitPass("success", repo.head());

    assertThat(testbed.unitProperty("b", "ActiveState")).isEqualTo("active");
    assertThat(exists("/etc/systemd/nspawn/b.nspawn")).isTrue();
  }

  @Test
  @Order(6)
  void removingMoreThanMaxRemovalsIsRefusedAsAWhole() throws Exception {
    restartAgent("maxRemovals: 1");
    // b (its manifest gone in the last scenario) is the one removal allowed.
    awaitPass("success", repo.head());
    Await.until(
        "b is removed",
        PASS,
        () -> !exists("/etc/systemd/nspawn/b.nspawn"),
        () -> "" + agent.status());
    assertThat(exists("/var/lib/machines/b")).as("b's state stays: Retain").isTrue();

    repo.delete("apps/a.yaml");
    repo.delete("apps/c.yaml");
    repo.commitAndPush("a and c go");
    agent.reconcile();
    JsonNode refused = awaitPass("refused", repo.head());

    assertThat(agent.status().path("errors").toString()).contains("MassPruneRefused");
    assertThat(refused.path("actions").toString()).doesNotContain("remove a");
    for (String name : new String[] {"a", "c", "d"}) {
      assertThat(testbed.unitProperty(name, "ActiveState")).as(name).isEqualTo("active");
    }
  }

  @Test
  @Order(7)
  void allowEmptyLetsAnEmptyRepositoryPruneAndOnlyDeleteRemovesTheState() throws Exception {
    restartAgent("maxRemovals: 10", "allowEmpty: true");
    repo.delete("apps/d.yaml");
    repo.write("README.md", "nothing placed here any more\n");
    repo.commitAndPush("empty");
    agent.reconcile();
    awaitPass("success", repo.head());

    for (String name : new String[] {"a", "c", "d"}) {
      assertThat(exists("/etc/systemd/nspawn/" + name + ".nspawn")).as(name).isFalse();
      assertThat(testbed.unitProperty(name, "ActiveState")).as(name).isIn("inactive", "failed");
    }
    assertThat(exists("/var/lib/machines/a")).as("a: Retain, the default").isTrue();
    assertThat(exists("/var/lib/machines/c")).as("c: Retain, the default").isTrue();
    assertThat(exists("/var/lib/machines/d")).as("d: removePolicy Delete").isFalse();
  }

  @Test
  @Order(8)
  void whileTheAgentIsSuspendedBerthDiffShowsWhatItFetchedAndNothingOnceApplied() throws Exception {
    restartAgent();
    repo.write("apps/e.yaml", image.killable("e"));
    String running = repo.commitAndPush("e");
    agent.reconcile();
    awaitPass("success", running);
    Await.until("e runs", PASS, testbed.running("e"));
    assertThat(testbed.agentApi("POST", "/api/v1/suspend")).startsWith("200");
    repo.write("apps/e.yaml", image.killable("e", "capabilities: [CAP_NET_ADMIN]"));
    String fetched = repo.commitAndPush("e gets CAP_NET_ADMIN");
    agent.reconcile();
    awaitPass("suspended", fetched);
    String nspawn = "etc/systemd/nspawn/e.nspawn";

    Testbed.Result pending = diff();
    Testbed.Result runningNow = diff("--revision", running.substring(0, 12));

    assertThat(pending.exitCode()).as(pending.err()).isEqualTo(1);
    assertThat(pending.out())
        .startsWith("--- host/" + nspawn + "\n+++ git/" + nspawn + "\n@@ -")
        .contains("\n+Capability=CAP_NET_ADMIN\n")
        .endsWith("restart e: changed Exec.Capability\n");
    assertThat(pending.err()).isEmpty();
    assertThat(runningNow.exitCode()).as(runningNow.err()).isZero();
    assertThat(runningNow.out()).isEqualTo("none e: up to date\n");
    assertThat(testbed.exec("cat", "/" + nspawn).out()).doesNotContain("Capability=");

    assertThat(testbed.agentApi("POST", "/api/v1/resume")).startsWith("200");
    awaitPass("success", fetched);
    Await.until("e runs again", PASS, testbed.running("e"));
    Testbed.Result applied = diff();

    assertThat(applied.exitCode()).as(applied.out() + applied.err()).isZero();
    assertThat(applied.out()).isEqualTo("none e: up to date\n");
    assertThat(testbed.exec("cat", "/" + nspawn).out()).contains("Capability=CAP_NET_ADMIN");
  }

  /** {@code berth diff} in the testbed host, from the agent's Git cache, with {@code more}. */
  private Testbed.Result diff(String... more) throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of(
                "java",
                "-jar",
                "/opt/berth/berth.jar",
                "diff",
                "--config",
                TestbedAgent.CONFIG_FILE));
    command.addAll(List.of(more));
    return testbed.exec(command.toArray(String[]::new));
  }

  /** (Re)starts the agent with {@code syncLines} under {@code sync:} in its configuration. */
  private void restartAgent(String... syncLines) throws Exception {
    agent.start(TestbedAgent.config().sync(syncLines));
  }

  /** Waits for a pass at {@code revision} with {@code result} and returns it. */
  private JsonNode awaitPass(String result, String revision) throws InterruptedException {
    return agent.awaitPass(
        "a pass at " + revision + " with result " + result,
        PASS,
        pass ->
            pass.path("result").asText().equals(result)
                && pass.path("revision").asText().equals(revision));
  }

  private String metrics() throws Exception {
    return testbed.exec("busybox", "wget", "-q", "-O", "-", "http://127.0.0.1:9480/metrics").out();
  }

  private boolean exists(String path) {
    try {
      return testbed.exec("test", "-e", path).exitCode() == 0;
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
