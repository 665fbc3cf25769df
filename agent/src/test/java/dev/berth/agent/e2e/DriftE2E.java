package dev.berth.agent.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
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
 * Drift on a real systemd host is seen when it happens, not at the next poll: the poll interval is
 * 10 minutes and the resync an hour, so each healing pass below was triggered by the host ({@code
 * host-event} in the status): a D-Bus signal (JobRemoved, MachineRemoved, a unit's ActiveState) or
 * inotify on the directories berth writes. The running container also shows {@code berth status}
 * and {@code berth logs} on a real host.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DriftE2E {
  private static final Path JAR_DIR = Path.of("target");
  private static final Duration HEAL = Duration.ofSeconds(30);

  private Testbed testbed;
  private TestbedAgent agent;
  private String nspawn;

  @BeforeAll
  void boot() throws Exception {
    Path work = Files.createTempDirectory("berth-drift-e2e");
    BusyboxImage image = BusyboxImage.build(work);
    GitRepo repo = GitRepo.create(work);
    repo.write("apps/a.yaml", image.killable("a"));
    repo.commitAndPush("a");
    testbed = Testbed.boot(JAR_DIR, work);
    agent = new TestbedAgent(testbed, work);
    agent.start(TestbedAgent.config().interval("10m").resyncInterval("1h"));
    Await.until("a runs", HEAL, testbed.running("a"), agent::journal);
    nspawn = testbed.exec("cat", "/etc/systemd/nspawn/a.nspawn").orFail("a.nspawn").out();
  }

  @AfterAll
  void shutDown() throws Exception {
    if (testbed != null) {
      testbed.close();
    }
  }

  @Test
  @Order(1)
  void aStopByHandIsHealedByTheHostsSignal() throws Exception {
    String pid = testbed.unitProperty("a", "MainPID");
    testbed.exec("systemctl", "stop", "systemd-nspawn@a.service").orFail("stopping a");

    assertHealedByTheHost(pid);
  }

  @Test
  @Order(2)
  void aMachineTerminatedThroughMachinedIsHealedByTheHostsSignal() throws Exception {
    String pid = testbed.unitProperty("a", "MainPID");
    testbed.exec("machinectl", "terminate", "a").orFail("terminating a");

    assertHealedByTheHost(pid);
  }

  @Test
  @Order(3)
  void aContainerKilledOutrightIsHealedByTheHostsSignal() throws Exception {
    String pid = testbed.unitProperty("a", "MainPID");
    testbed
        .exec("systemctl", "kill", "--signal=SIGKILL", "systemd-nspawn@a.service")
        .orFail("killing a");

    assertHealedByTheHost(pid);
  }

  @Test
  @Order(4)
  void aHandEditOfItsNspawnFileIsUndoneByTheInotifyWatch() throws Exception {
    String before = agent.latestPass().path("started").asText();
    testbed
        .sh("printf '\\n[Files]\\nBindReadOnly=/srv\\n' >> /etc/systemd/nspawn/a.nspawn")
        .orFail("editing a.nspawn");

    Await.until(
        "a.nspawn is berth's again",
        HEAL,
        () -> {
          try {
            return testbed.exec("cat", "/etc/systemd/nspawn/a.nspawn").out().equals(nspawn);
          } catch (Exception e) {
            return false;
          }
        },
        () -> "\nstatus: " + agent.status() + agent.journal());
    JsonNode healing = passAfter(before, " a: converged");
    assertThat(healing.path("trigger").asText()).as(healing.toString()).isEqualTo("host-event");
    Await.until("a runs", HEAL, testbed.running("a"));
  }

  @Test
  @Order(5)
  void berthStatusShowsATableAndBerthLogsTheContainersJournal() throws Exception {
    Testbed.Result json = berth("status", "--output", "json");
    assertThat(json.exitCode()).as(json.err()).isZero();
    assertThat(new ObjectMapper().readTree(json.out()).path("host").asText()).isEqualTo("tb");
    // A real agent's document, kept as the test's artefact (StatusTableTest reads one like it).
    Files.writeString(Path.of("target", "e2e-status.json"), json.out());

    Testbed.Result table = berth("status");
    assertThat(table.exitCode()).as(table.err()).isZero();
    assertThat(table.out())
        .containsPattern("(?m)^CONTAINER +PHASE +READY +REVISION +AGE +MESSAGE$")
        .containsPattern("(?m)^a +Running +True +[0-9a-f]{12} +[0-9]+[smhd] ")
        .contains("\nSOURCE\n  remote:    file:///opt/e2e/repo.git")
        .contains("\nAGENT\n  host:      tb ")
        .contains("  suspended: no\n");
    // On a terminal (script(1) gives berth one) the phase and readiness are green, unless NO_COLOR.
    String terminal = "script -qec 'java -jar /opt/berth/berth.jar status%s' /dev/null";
    assertThat(testbed.sh(String.format(terminal, "")).out())
        .contains("\u001b[32mRunning\u001b[39m  \u001b[32mTrue\u001b[39m");
    assertThat(testbed.sh("NO_COLOR=1 " + String.format(terminal, "")).out())
        .contains("a          Running  True ")
        .doesNotContain("\u001b[");
    // --watch, on a terminal, clears the screen before each table it shows, until it is stopped.
    String watched = testbed.sh("timeout 6 " + String.format(terminal, " --watch")).out();
    int frames = watched.split("CONTAINER  PHASE", -1).length - 1;
    assertThat(frames).as(watched).isPositive();
    assertThat(watched.split("\u001b\\[H\u001b\\[2J", -1).length - 1).as(watched).isEqualTo(frames);
    assertThat(watched).startsWith("\u001b[H\u001b[2J");

    // busybox init's sysinit line reaches the unit's journal through nspawn's console.
    Testbed.Result logs = berth("logs", "a", "-n", "20");
    assertThat(logs.exitCode()).as(logs.err()).isZero();
    assertThat(logs.out()).contains("booted");
    assertThat(logs.out().lines().count()).isBetween(1L, 20L);

    Testbed.Result unknown = berth("logs", "nope");
    assertThat(unknown.exitCode()).isEqualTo(2);
    assertThat(unknown.out()).isEmpty();
    assertThat(unknown.err().lines())
        .containsExactly(
            "berth: nope: no such container on this host (not in berth's inventory, no"
                + " /etc/systemd/nspawn/nope.nspawn, no /var/lib/machines/nope, not running)");
    Testbed.Result badName = berth("logs", "../a");
    assertThat(badName.exitCode()).isEqualTo(2);
    assertThat(badName.err()).contains("../a: not a container name");
  }

  private Testbed.Result berth(String... arguments) throws Exception {
    List<String> command = new ArrayList<>(List.of("java", "-jar", "/opt/berth/berth.jar"));
    command.addAll(List.of(arguments));
    return testbed.exec(command.toArray(String[]::new));
  }

  /** a runs again with a new PID, and the first pass since it stopped came from the host. */
  private void assertHealedByTheHost(String oldPid) throws Exception {
    String before = agent.latestPass().path("started").asText();
    Await.until(
        "a runs again",
        HEAL,
        () -> {
          try {
            return testbed.running("a").getAsBoolean()
                && !testbed.unitProperty("a", "MainPID").equals(oldPid);
          } catch (Exception e) {
            return false;
          }
        },
        () -> "\nstatus: " + agent.status() + agent.journal());
    JsonNode healing = passAfter(before, "start a: converged");
    assertThat(healing.path("trigger").asText()).as(healing.toString()).isEqualTo("host-event");
  }

  /**
   * The oldest recorded pass that started after {@code started} with an action line {@code line}.
   */
  private JsonNode passAfter(String started, String line) throws InterruptedException {
    JsonNode[] found = new JsonNode[1];
    Await.until(
        "a pass that healed a",
        HEAL,
        () -> {
          JsonNode oldest = null;
          for (JsonNode pass : agent.status().path("passes")) {
            if ((started.isEmpty()
                    || Instant.parse(pass.path("started").asText()).isAfter(Instant.parse(started)))
                && pass.path("actions").toString().contains(line)) {
              oldest = pass;
            }
          }
          found[0] = oldest;
          return oldest != null;
        },
        () -> "\nstatus: " + agent.status());
    return found[0];
  }
}
