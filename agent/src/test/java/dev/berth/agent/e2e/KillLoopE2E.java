package dev.berth.agent.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The agent SIGKILLed in the middle of a pass, on a real systemd host: each round pushes a commit
 * that removes one container and creates another, kills the agent ({@code kill -9} of its pid) a
 * set time after it logged {@code revision accepted}, starts it again and lets it converge. The
 * removed container must not run (no orphan started from the template's defaults), have no {@code
 * .nspawn}, drop-in or enable link; the new one runs; {@code berth list} shows what Git says.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KillLoopE2E {
  private static final Path JAR_DIR = Path.of("target");
  private static final List<Integer> DELAYS_MS = List.of(0, 100, 300, 600, 1000, 1500);

  private Path work;
  private Testbed testbed;
  private BusyboxImage image;

  /** Its init takes 10 s to power off: a restart's stop phase outlasts an agent's restart. */
  private BusyboxImage slowStop;

  private GitRepo repo;
  private String lastCreated;

  /**
   * A new unit per start: on this cgroup v1 host, the unit of a SIGKILLed agent can stay loaded
   * (its emptied cgroup not noticed) and keep its name. Left loaded when it ends, so that systemd
   * still shows each killed agent's state.
   */
  private TestbedAgent agent;

  @BeforeAll
  void boot() throws Exception {
    work = Files.createTempDirectory("berth-kill-e2e");
    image = BusyboxImage.build(work);
    slowStop =
        BusyboxImage.build(
            work,
            "slowstop",
            BusyboxImage.INITTAB + "::shutdown:/bin/busybox sleep 10\n",
            java.util.Map.of());
    repo = GitRepo.create(work);
    Files.writeString(
        work.resolve("agent.yaml"),
        TestbedAgent.config().source("ref: {branch: main}").interval("1s").yaml());
    repo.write("apps/keep.yaml", image.killable("keep"));
    repo.write("apps/orph.yaml", image.killable("orph"));
    repo.commitAndPush("keep and orph");
    testbed = Testbed.boot(JAR_DIR, work);
    agent = new TestbedAgent(testbed, work).uncollected();
  }

  @AfterAll
  void shutDown() throws Exception {
    if (testbed != null) {
      testbed.close();
    }
  }

  @Test
  @Order(1)
  void killedAtAnyMomentOfARemovalAndACreateTheHostEndsAsGitSays() throws Exception {
    agent.launch();
    Await.until(
        "keep and orph run",
        Duration.ofSeconds(60),
        both(testbed.running("keep"), testbed.running("orph")),
        this::log);

    String removed = "orph";
    String created = "fresh";
    List<String> rounds = new ArrayList<>();
    for (int delay : DELAYS_MS) {
      String cursor = cursor();
      repo.delete("apps/" + removed + ".yaml");
      repo.write("apps/" + created + ".yaml", image.killable(created));
      String revision = repo.commitAndPush("remove " + removed + ", create " + created);

      // Inside the host, so that the delay counts from the line and not from a round trip.
      testbed
          .sh(
              "until journalctl -u 'berth-agent-*' --after-cursor='"
                  + cursor
                  + "' -o cat | grep 'revision accepted' | grep -q "
                  + revision.substring(0, 12)
                  + "; do sleep 0.02; done; sleep "
                  + delay / 1000.0
                  + "; kill -9 $(systemctl show --property=MainPID --value "
                  + agent.unit()
                  + ")")
          .orFail("killing the agent " + delay + " ms after it accepted " + revision);
      awaitDead();
      agent.launch();

      String removedNow = removed;
      String createdNow = created;
      Await.until(
          createdNow + " runs and " + removedNow + " is gone (killed " + delay + " ms in)",
          Duration.ofSeconds(60),
          both(testbed.running(createdNow), () -> !exists(HostFile.nspawn(removedNow))),
          this::log);
      // An orphan's queued start runs a moment after the files go: give it the time to show.
      Thread.sleep(1000);
      assertGitsView(createdNow, removedNow, delay);
      rounds.add(delay + " ms: " + removedNow + " removed, " + createdNow + " created");

      removed = createdNow;
      created = removedNow;
    }
    System.out.println("kill rounds: " + rounds);
    lastCreated = removed;
  }

  @Test
  @Order(2)
  void aRestartKilledInItsStopPhaseAndThenRemovedFromGitDoesNotStartAgain() throws Exception {
    testbed.exec("mkdir", "-p", "/srv/data").orFail("mkdir");
    if (!agentState().equals("active")) {
      agent.launch();
    }
    repo.write("apps/slow.yaml", slowStop.killable("slow"));
    repo.commitAndPush("slow");
    Await.until("slow runs", Duration.ofSeconds(60), testbed.running("slow"), this::log);

    repo.write(
        "apps/slow.yaml", slowStop.killable("slow", "bindMounts:", "  - hostPath: /srv/data"));
    repo.commitAndPush("slow gets a bind mount: a restart");
    testbed
        .sh(
            "until [ \"$(systemctl show --property=ActiveState --value systemd-nspawn@slow.service)\""
                + " = deactivating ]; do sleep 0.02; done;"
                + " kill -9 $(systemctl show --property=MainPID --value "
                + agent.unit()
                + ")")
        .orFail("killing the agent while slow's restart stops it");
    repo.delete("apps/slow.yaml");
    repo.commitAndPush("slow removed while the agent is down");
    awaitDead();
    agent.launch();
    String seen = testbed.unitProperty("slow", "ActiveState");

    Await.until(
        "slow's files are gone",
        Duration.ofSeconds(60),
        () -> !exists(HostFile.nspawn("slow")),
        this::log);
    Await.until(
        "slow's unit has stopped",
        Duration.ofSeconds(40),
        () -> {
          try {
            return List.of("inactive", "failed")
                .contains(testbed.unitProperty("slow", "ActiveState"));
          } catch (Exception e) {
            return false;
          }
        },
        this::log);
    // The restart's start phase, if the job were left, comes right after its stop phase.
    Thread.sleep(2000);
    System.out.println("slow was " + seen + " when the agent was back");
    assertThat(testbed.unitProperty("slow", "ActiveState"))
        .as("slow does not run again" + log())
        .isIn("inactive", "failed");
    assertThat(testbed.exec("machinectl", "list", "--no-legend").out()).doesNotContain("slow");
    for (String path : HostFile.all("slow")) {
      assertThat(exists(path)).as(path + " is gone").isFalse();
    }
    Testbed.Result list = testbed.exec("java", "-jar", "/opt/berth/berth.jar", "list");
    List<String> names =
        list.out().lines().skip(1).map(line -> line.split(" +")[0]).sorted().toList();
    assertThat(names)
        .as("berth list:\n" + list.out())
        .isEqualTo(java.util.stream.Stream.of("keep", lastCreated).sorted().toList());
  }

  private void assertGitsView(String created, String removed, int delay) throws Exception {
    String round = "killed " + delay + " ms after revision accepted: ";
    assertThat(testbed.unitProperty(removed, "ActiveState"))
        .as(round + removed + " does not run")
        .isIn("inactive", "failed");
    assertThat(testbed.exec("machinectl", "list", "--no-legend").out())
        .as(round + "machinectl list")
        .doesNotContain(removed)
        .contains(created)
        .contains("keep");
    for (String path : HostFile.all(removed)) {
      assertThat(exists(path)).as(round + path + " is gone").isFalse();
    }
    assertThat(testbed.unitProperty(created, "ActiveState"))
        .as(round + created + " runs")
        .isEqualTo("active");
    assertThat(testbed.unitProperty("keep", "ActiveState"))
        .as(round + "keep runs")
        .isEqualTo("active");
    assertThat(exists(HostFile.wants(created))).as(round + created + " is enabled").isTrue();
    Testbed.Result list = testbed.exec("java", "-jar", "/opt/berth/berth.jar", "list");
    assertThat(list.exitCode()).as(list.err()).isZero();
    List<String> names =
        list.out().lines().skip(1).map(line -> line.split(" +")[0]).sorted().toList();
    assertThat(names)
        .as(round + "berth list:\n" + list.out())
        .isEqualTo(java.util.stream.Stream.of("keep", created).sorted().toList());
  }

  /** The files a container of berth's has on the host. */
  private static final class HostFile {
    static String nspawn(String name) {
      return "/etc/systemd/nspawn/" + name + ".nspawn";
    }

    static String wants(String name) {
      return "/etc/systemd/system/machines.target.wants/systemd-nspawn@" + name + ".service";
    }

    static List<String> all(String name) {
      return List.of(
          nspawn(name),
          "/etc/systemd/system/systemd-nspawn@" + name + ".service.d/50-berth.conf",
          wants(name));
    }
  }

  private boolean exists(String path) {
    try {
      return testbed.exec("test", "-e", path).exitCode() == 0
          || testbed.exec("test", "-L", path).exitCode() == 0;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private String agentState() throws Exception {
    return testbed
        .exec("systemctl", "show", "--property=ActiveState", "--value", agent.unit())
        .out()
        .strip();
  }

  private void awaitDead() throws Exception {
    Await.until(
        "systemd saw the agent die",
        Duration.ofSeconds(20),
        () -> {
          try {
            return List.of("failed", "inactive").contains(agentState());
          } catch (Exception e) {
            return false;
          }
        });
  }

  private String cursor() throws Exception {
    return testbed
        .exec("journalctl", "-u", "berth-agent-*", "--show-cursor", "-n", "0", "-o", "cat")
        .out()
        .replaceAll("(?s).*-- cursor: ", "")
        .strip();
  }

  private String log() {
    try {
      return "\nagent log (tail):\n"
          + testbed
              .exec("journalctl", "-u", "berth-agent-*", "-n", "60", "--no-pager", "-o", "cat")
              .out()
          + "\nunits:\n"
          + testbed
              .exec("systemctl", "list-units", "--all", "--no-pager", "systemd-nspawn@*")
              .out();
    } catch (Exception e) {
      return "\n(no log: " + e.getMessage() + ")";
    }
  }

  private static BooleanSupplier both(BooleanSupplier first, BooleanSupplier second) {
    return () -> first.getAsBoolean() && second.getAsBoolean();
  }
}
