package dev.berth.agent.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * {@code berth diff} on a real systemd host beside a running agent, from the agent's Git cache: a
 * pushed change that the (suspended) agent fetched shows as a unified diff of the {@code .nspawn}
 * and the plan's line, exit 1; the revision the host runs, and after the apply the newest one, show
 * nothing, exit 0. Scenarios build on each other, in order.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DiffE2E {
  private static final Path JAR_DIR = Path.of("target");
  private static final Duration PASS = Duration.ofSeconds(45);
  private static final String NSPAWN = "etc/systemd/nspawn/a.nspawn";

  private Path work;
  private Testbed testbed;
  private BusyboxImage image;
  private GitRepo repo;
  private TestbedAgent agent;
  private String applied;
  private String pushed;

  @BeforeAll
  void boot() throws Exception {
    work = Files.createTempDirectory("berth-diff-e2e");
    image = BusyboxImage.build(work);
    repo = GitRepo.create(work);
    repo.write("apps/a.yaml", image.killable("a"));
    applied = repo.commitAndPush("a");
    testbed = Testbed.boot(JAR_DIR, work);
    agent = new TestbedAgent(testbed, work);
    agent.start(
        """
        apiVersion: berth.dev/v1alpha1
        kind: AgentConfig
        host:
          name: tb
        source:
          url: file:///opt/e2e/repo.git
          interval: 2s
        sync:
          resyncInterval: 1m
        http:
          listen: 127.0.0.1:9480
        """);
  }

  @AfterAll
  void shutDown() throws Exception {
    if (testbed != null) {
      testbed.close();
    }
  }

  private Testbed.Result diff(String... more) throws Exception {
    String[] command = new String[6 + more.length];
    System.arraycopy(
        new String[] {
          "java", "-jar", "/opt/berth/berth.jar", "diff", "--config", "/opt/e2e/agent.yaml"
        },
        0,
        command,
        0,
        6);
    System.arraycopy(more, 0, command, 6, more.length);
    return testbed.exec(command);
  }

  private void awaitPass(String result, String revision) throws InterruptedException {
    agent.awaitPass(
        "a pass at " + revision + " with result " + result,
        PASS,
        pass ->
            pass.path("result").asText().equals(result)
                && pass.path("revision").asText().equals(revision));
  }

  @Test
  @Order(1)
  void aFetchedChangeIsTheNspawnsDiffAndThePlanLineAndExitsOne() throws Exception {
    Await.until("a runs", PASS, testbed.running("a"));
    awaitPass("success", applied);
    assertThat(testbed.agentApi("POST", "/api/v1/suspend")).startsWith("200");
    repo.write("apps/a.yaml", image.killable("a", "capabilities: [CAP_NET_ADMIN]"));
    pushed = repo.commitAndPush("a gets CAP_NET_ADMIN");
    agent.reconcile();
    awaitPass("suspended", pushed);

    Testbed.Result diff = diff();

    assertThat(diff.exitCode()).as(diff.err()).isEqualTo(1);
    assertThat(diff.out())
        .startsWith("--- host/" + NSPAWN + "\n+++ git/" + NSPAWN + "\n@@ -")
        .contains("\n+Capability=CAP_NET_ADMIN\n")
        .endsWith("restart a: changed Exec.Capability\n");
    assertThat(diff.err()).isEmpty();
    assertThat(testbed.exec("cat", "/" + NSPAWN).out()).doesNotContain("Capability=");
  }

  @Test
  @Order(2)
  void theRevisionTheHostRunsShowsNothing() throws Exception {
    Testbed.Result diff = diff("--revision", applied.substring(0, 12));

    assertThat(diff.exitCode()).as(diff.err()).isZero();
    assertThat(diff.out()).isEqualTo("none a: up to date\n");
  }

  @Test
  @Order(3)
  void afterTheApplyTheNewestRevisionShowsNothingAndExitsZero() throws Exception {
    assertThat(testbed.agentApi("POST", "/api/v1/resume")).startsWith("200");
    awaitPass("success", pushed);
    Await.until("a runs again", PASS, testbed.running("a"));

    Testbed.Result diff = diff();

    assertThat(diff.exitCode()).as(diff.out() + diff.err()).isZero();
    assertThat(diff.out()).isEqualTo("none a: up to date\n");
    assertThat(testbed.exec("cat", "/" + NSPAWN).out()).contains("Capability=CAP_NET_ADMIN");
  }
}
