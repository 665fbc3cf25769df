package dev.berth.agent.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.reconciler.render.Marker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * {@code berth apply} on a real systemd host (the testbed), with busybox containers from a tarball
 * image: each scenario changes the manifests the way an operator would and checks systemd's view.
 * The scenarios build on each other, in order.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ApplyE2E {
  private static final Path JAR_DIR = Path.of("target");
  private static final String BERTH = "/opt/berth/berth.jar";
  private static final String REPO = "/opt/e2e/repo";

  private Path work;
  private Testbed testbed;
  private BusyboxImage image;
  private final Map<String, String> manifests = new LinkedHashMap<>();
  private String handPid;

  @BeforeAll
  void boot() throws Exception {
    assertThat(JAR_DIR.resolve("berth.jar")).as("the built agent (mvn package)").exists();
    work = Files.createTempDirectory("berth-e2e");
    Files.createDirectories(work.resolve("repo"));
    image = BusyboxImage.build(work);
    testbed = Testbed.boot(JAR_DIR, work);
  }

  @AfterAll
  void shutDown() throws Exception {
    if (testbed != null) {
      testbed.close();
    }
  }

  private String container(String name, String... spec) {
    return image.container(name, spec);
  }

  /** busybox init powers off on SIGUSR2 and ignores SIGRTMIN+3 (TESTBED.md). */
  private static final String[] BUSYBOX_KILL = {"nspawn:", "  Exec:", "    KillSignal: SIGUSR2"};

  /** busybox init ignores SIGRTMIN+3, systemd-nspawn@.service's kill signal: its stop times out. */
  private static final String[] IGNORES_KILL = {
    "activation: {strategy: restart}", "nspawn:", "  Exec:", "    KillSignal: SIGRTMIN+3"
  };

  private static String[] with(String[] base, String... more) {
    String[] out = java.util.Arrays.copyOf(base, base.length + more.length);
    System.arraycopy(more, 0, out, base.length, more.length);
    return out;
  }

  private void manifest(String name, String yaml) throws IOException {
    manifests.put(name, yaml);
    Files.writeString(work.resolve("repo").resolve(name + ".yaml"), yaml);
  }

  private void deleteManifest(String name) throws IOException {
    manifests.remove(name);
    Files.delete(work.resolve("repo").resolve(name + ".yaml"));
  }

  private Testbed.Result apply() throws Exception {
    return testbed.exec("java", "-jar", BERTH, "apply", REPO, "--host", "tb");
  }

  private String show(String container, String property) throws Exception {
    return testbed.unitProperty(container, property);
  }

  private String pid(String container) throws Exception {
    return show(container, "MainPID");
  }

  private List<String> machines() throws Exception {
    return testbed
        .exec("machinectl", "list", "--no-legend")
        .orFail("machinectl list")
        .out()
        .lines()
        .map(line -> line.split("\\s+")[0])
        .sorted()
        .toList();
  }

  /**
   * SIGKILL to every process of the container's unit. Under load systemd 252 sometimes answers
   * "Failed to send signal SIGKILL to auxiliary processes: Input/output error" though the kill went
   * through; what counts is that the unit ends, so look, and kill again if it has not.
   */
  private void killUntilInactive(String container) throws Exception {
    String last = "";
    for (int attempt = 0; attempt < 5; attempt++) {
      last =
          testbed
              .exec(
                  "systemctl",
                  "kill",
                  "--signal=SIGKILL",
                  "systemd-nspawn@" + container + ".service")
              .err();
      long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
      while (System.nanoTime() < deadline) {
        if (!show(container, "ActiveState").equals("active")) {
          return;
        }
        Thread.sleep(100);
      }
    }
    throw new AssertionError(container + " survived five SIGKILLs; systemctl said: " + last);
  }

  @Test
  @Order(1)
  void createsThreeContainersAndLeavesAHandMadeOneAlone() throws Exception {
    Files.copy(image.tarball(), work.resolve("busybox.tar"));
    testbed
        .sh(
            """
        set -e
        R=/var/lib/machines/hand
        mkdir -p $R/bin $R/sbin $R/etc $R/usr $R/var
        cp /bin/busybox $R/bin/; ln -s /bin/busybox $R/sbin/init; ln -s /bin/busybox $R/bin/sh
        echo ID=busybox > $R/etc/os-release
        printf '::sysinit:/bin/busybox echo booted\\n::respawn:/bin/busybox sleep 3600\\n' > $R/etc/inittab
        mkdir -p /etc/systemd/nspawn
        printf '[Exec]\\nPrivateUsers=no\\nKillSignal=SIGUSR2\\n[Network]\\nVirtualEthernet=no\\nPrivate=no\\n' > /etc/systemd/nspawn/hand.nspawn
        systemctl start systemd-nspawn@hand.service
        """)
        .orFail("starting the hand-made container");
    handPid = pid("hand");
    manifest("a", container("a", BUSYBOX_KILL));
    manifest("b", container("b", BUSYBOX_KILL));
    manifest("c", container("c", with(BUSYBOX_KILL, "dependsOn: [a]")));

    Testbed.Result result = apply();

    assertThat(result.exitCode()).as(result.out() + result.err()).isZero();
    assertThat(result.out())
        .contains("create a: converged", "create b: converged", "create c: converged")
        .contains("host tb: 3 converged, 0 failed, 0 blocked, 0 skipped");
    assertThat(machines()).containsExactly("a", "b", "c", "hand");
    for (String name : List.of("a", "b", "c")) {
      assertThat(show(name, "ActiveState")).isEqualTo("active");
      assertThat(
              testbed
                  .exec(
                      "test",
                      "-L",
                      "/etc/systemd/system/machines.target.wants/systemd-nspawn@"
                          + name
                          + ".service")
                  .exitCode())
          .as(name + " enabled")
          .isZero();
    }
    Testbed.Result again = apply();
    assertThat(again.exitCode()).isZero();
    assertThat(again.out()).contains("none a: converged (up to date)").doesNotContain("...");
  }

  @Test
  @Order(2)
  void aNewBindMountRestartsOnlyThatContainer() throws Exception {
    Map<String, String> before = pids("a", "b", "c", "hand");
    testbed.exec("mkdir", "-p", "/srv/data").orFail("mkdir");
    manifest("b", container("b", with(BUSYBOX_KILL, "bindMounts:", "  - hostPath: /srv/data")));

    Testbed.Result result = apply();

    assertThat(result.exitCode()).as(result.out()).isZero();
    assertThat(result.out()).contains("restart b: converged (restarted)");
    Map<String, String> after = pids("a", "b", "c", "hand");
    assertThat(after.get("b")).isNotEqualTo(before.get("b"));
    assertThat(after)
        .containsEntry("a", before.get("a"))
        .containsEntry("c", before.get("c"))
        .containsEntry("hand", before.get("hand"));
  }

  @Test
  @Order(3)
  void onlyParametersChangedIsAReloadWithoutRestart() throws Exception {
    manifest("a", container("a", with(BUSYBOX_KILL, "    Parameters: generation-1")));
    assertThat(apply().exitCode()).isZero();
    String pid = pid("a");

    manifest("a", container("a", with(BUSYBOX_KILL, "    Parameters: generation-2")));
    Testbed.Result result = apply();

    assertThat(result.exitCode()).as(result.out()).isZero();
    assertThat(result.out()).contains("reload a: converged (reloaded");
    assertThat(pid("a")).isEqualTo(pid);
    assertThat(
            testbed
                .exec("journalctl", "-u", "systemd-nspawn@a.service", "--no-pager", "-o", "cat")
                .out())
        .contains("Reloaded systemd-nspawn@a.service");
  }

  @Test
  @Order(4)
  void aMemoryLimitIsSetLive() throws Exception {
    String pid = pid("c");
    manifest(
        "c",
        container("c", with(BUSYBOX_KILL, "dependsOn: [a]", "resources:", "  memoryMax: 64M")));

    Testbed.Result result = apply();

    assertThat(result.exitCode()).as(result.out()).isZero();
    assertThat(result.out()).contains("live c: converged (cgroup limits set on the running unit)");
    assertThat(pid("c")).isEqualTo(pid);
    assertThat(show("c", "MemoryMax")).isEqualTo(Long.toString(64L << 20));
  }

  @Test
  @Order(5)
  void cpuQuotaAndTasksMaxAreSetLiveAndWithoutATasksMaxTheTemplatesComesBack() throws Exception {
    String pid = pid("c");
    String leader = leader("c");
    String[] limits = {"dependsOn: [a]", "resources:", "  memoryMax: 64M", "  cpuQuota: 50%"};
    manifest("c", container("c", with(with(BUSYBOX_KILL, limits), "  tasksMax: 100")));

    Testbed.Result result = apply();

    assertThat(result.exitCode()).as(result.out()).isZero();
    assertThat(result.out()).contains("live c: converged (cgroup limits set on the running unit)");
    assertThat(show("c", "CPUQuotaPerSecUSec")).isEqualTo("500ms");
    assertThat(show("c", "TasksMax")).isEqualTo("100");
    assertThat(show("c", "MemoryMax")).isEqualTo(Long.toString(64L << 20));

    // The template's TasksMax= as systemd has it, here changed by a drop-in for every instance:
    // a manifest without tasksMax gets that back, not a number berth keeps.
    String dropIn = "/etc/systemd/system/systemd-nspawn@.service.d/99-e2e-tasks.conf";
    testbed
        .sh(
            "mkdir -p /etc/systemd/system/systemd-nspawn@.service.d && printf '[Service]\\nTasksMax=4242\\n' > "
                + dropIn
                + " && systemctl daemon-reload")
        .orFail("the template's TasksMax");
    try {
      manifest("c", container("c", with(BUSYBOX_KILL, limits)));

      Testbed.Result reset = apply();

      assertThat(reset.exitCode()).as(reset.out()).isZero();
      assertThat(reset.out()).contains("live c: converged (cgroup limits set on the running unit)");
      assertThat(show("c", "TasksMax")).isEqualTo("4242");
      assertThat(show("c", "CPUQuotaPerSecUSec")).isEqualTo("500ms");
    } finally {
      testbed.sh("rm -f " + dropIn + " && systemctl daemon-reload").orFail("the drop-in removed");
    }
    assertThat(pid("c")).as("the unit was not restarted").isEqualTo(pid);
    assertThat(leader("c")).as("the container's PID 1 is the same").isEqualTo(leader);
  }

  /** The container's PID 1, as machined has it. */
  private String leader(String container) throws Exception {
    return testbed.exec("machinectl", "show", container, "-p", "Leader", "--value").out().strip();
  }

  @Test
  @Order(6)
  void stateStoppedStopsAndDisables() throws Exception {
    manifest(
        "c",
        container("c", with(BUSYBOX_KILL, "dependsOn: [a]", "resources:", "  memoryMax: 64M"))
            .replace("spec:\n", "spec:\n  state: stopped\n"));

    Testbed.Result result = apply();

    assertThat(result.exitCode()).as(result.out()).isZero();
    assertThat(show("c", "ActiveState")).isEqualTo("inactive");
    assertThat(machines()).doesNotContain("c");
    assertThat(
            testbed
                .exec(
                    "test",
                    "-e",
                    "/etc/systemd/system/machines.target.wants/systemd-nspawn@c.service")
                .exitCode())
        .isNotZero();
  }

  @Test
  @Order(7)
  void aDeletedManifestRemovesTheContainerButKeepsItsState() throws Exception {
    deleteManifest("b");

    Testbed.Result result = apply();

    assertThat(result.exitCode()).as(result.out()).isZero();
    assertThat(result.out())
        .contains(
            "remove b: converged (disabled, stopped, files removed; state directory"
                + " /var/lib/machines/b kept)");
    assertThat(machines()).doesNotContain("b");
    assertThat(testbed.exec("test", "-e", "/etc/systemd/nspawn/b.nspawn").exitCode()).isNotZero();
    assertThat(testbed.exec("test", "-d", "/var/lib/machines/b/etc").exitCode()).isZero();
    assertThat(testbed.exec("cat", "/var/lib/berth/inventory.json").out()).doesNotContain("\"b\"");
  }

  @Test
  @Order(8)
  void anAgentKilledMidPassLeavesNoHalfFileAndTheNextPassConverges() throws Exception {
    String aPid = pid("a");
    manifest(
        "a",
        container(
            "a",
            with(
                BUSYBOX_KILL,
                "    Parameters: generation-2",
                "bindMounts:",
                "  - hostPath: /srv/data")));
    manifest(
        "c",
        container(
            "c", with(BUSYBOX_KILL, "dependsOn: [a]", "bindMounts:", "  - hostPath: /srv/data")));
    testbed
        .sh(
            "java -jar "
                + BERTH
                + " apply "
                + REPO
                + " --host tb > /tmp/apply.log 2>&1 & echo $! > /tmp/apply.pid")
        .orFail("starting apply");
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    boolean midPass = false;
    while (System.nanoTime() < deadline) {
      if (testbed.sh("grep -q '^\\.\\.\\. ' /tmp/apply.log").exitCode() == 0) {
        midPass = testbed.sh("kill -0 $(cat /tmp/apply.pid)").exitCode() == 0;
        break;
      }
      Thread.sleep(10);
    }
    testbed.sh("kill -KILL $(cat /tmp/apply.pid) 2>/dev/null; true");
    System.out.println(
        "apply killed "
            + (midPass ? "in the middle of its pass" : "after its pass had ended")
            + ":\n"
            + testbed.exec("cat", "/tmp/apply.log").out());

    for (String path :
        testbed
            .sh(
                "ls /etc/systemd/nspawn/*.nspawn /etc/systemd/system/systemd-nspawn@*.service.d/50-berth.conf")
            .out()
            .lines()
            .toList()) {
      String text = testbed.exec("cat", path).orFail("cat").out();
      if (!path.endsWith("hand.nspawn")) {
        assertThat(Marker.read(text))
            .as(path)
            .hasValueSatisfying(stamp -> assertThat(stamp.editedByHand()).isFalse());
      }
    }
    Testbed.Result result = apply();
    assertThat(result.exitCode()).as(result.out()).isZero();
    assertThat(pid("a")).isNotEqualTo(aPid);
    assertThat(show("c", "ActiveState")).isEqualTo("active");
    Testbed.Result plan = testbed.exec("java", "-jar", BERTH, "plan", REPO, "--host", "tb");
    assertThat(plan.exitCode()).as(plan.out()).isZero();
  }

  @Test
  @Order(9)
  void theRestartRaceIsRecovered() throws Exception {
    // busybox init ignores SIGRTMIN+3: the stop times out (3 s here), the machine lingers, and the
    // start that follows fails with "Machine 'race' already exists" -- if machined has not yet
    // let go of it, a matter of milliseconds. The race is held open: machined is paused from the
    // stop until the new start is in its ExecStartPre (a 3 s sleep), so when it looks again the
    // unit is activating, and machined keeps a machine whose unit is active.
    manifest("race", container("race", with(IGNORES_KILL, "    Parameters: one")));
    assertThat(apply().exitCode()).isZero();
    testbed
        .sh(
            "printf '[Service]\\nTimeoutStopSec=3s\\nExecStartPre=/bin/sleep 3\\n'"
                + " > /etc/systemd/system/systemd-nspawn@race.service.d/99-e2e.conf"
                + " && systemctl daemon-reload")
        .orFail("short stop timeout, slow start");
    manifest("race", container("race", with(IGNORES_KILL, "    Parameters: two")));

    FutureTask<Testbed.Result> applying = new FutureTask<>(this::apply);
    new Thread(applying, "apply").start();
    await(() -> show("race", "ActiveState").equals("deactivating"));
    testbed.exec("systemctl", "kill", "--signal=SIGSTOP", "systemd-machined").orFail("pause");
    try {
      await(() -> show("race", "SubState").equals("start-pre"));
    } finally {
      testbed.exec("systemctl", "kill", "--signal=SIGCONT", "systemd-machined").orFail("resume");
    }
    Testbed.Result result = applying.get(2, TimeUnit.MINUTES);

    assertThat(result.exitCode()).as(result.out()).isZero();
    assertThat(result.out())
        .contains(
            "restart race: converged (started after the restart race (Machine 'race' already"
                + " exists)");
    assertThat(show("race", "ActiveState")).isEqualTo("active");

    // The same failure, made certain: a stray machine still holds the name when the unit starts
    // (booted from b's kept tree: the container's own is locked while in use, which would fail
    // differently). berth must see "already exists", end the stale machine, start.
    killUntilInactive("race");
    await(() -> testbed.exec("machinectl", "show", "race").exitCode() != 0);
    testbed
        .exec(
            "systemd-run",
            "--unit=stray-race",
            "systemd-nspawn",
            "--quiet",
            "--keep-unit",
            "--machine=race",
            "--directory=/var/lib/machines/b",
            "--boot",
            "--private-users=no",
            "--kill-signal=SIGUSR2")
        .orFail("a stray machine named race");
    await(
        () ->
            testbed
                .exec("machinectl", "show", "race", "--property=Unit", "--value")
                .out()
                .strip()
                .equals("stray-race.service"));

    Testbed.Result recovered = apply();

    assertThat(recovered.exitCode()).as(recovered.out()).isZero();
    assertThat(recovered.out())
        .contains(
            "start race: converged (started after the restart race"
                + " (Machine 'race' already exists); terminated the stale machine first)");
    assertThat(show("race", "ActiveState")).isEqualTo("active");
  }

  @Test
  @Order(10)
  void aNewFailureIsNotTakenForAnEarlierRunsRace() throws Exception {
    // race's journal holds the "already exists" lines of the runs before; a start that now fails
    // for another reason (a bind mount whose source is missing) is that failure, not a race.
    killUntilInactive("race");
    await(() -> testbed.exec("machinectl", "show", "race").exitCode() != 0);
    String two = container("race", with(IGNORES_KILL, "    Parameters: two"));
    manifest(
        "race",
        container(
            "race",
            with(
                IGNORES_KILL,
                "    Parameters: two",
                "bindMounts:",
                "  - hostPath: /srv/e2e-missing")));

    Testbed.Result failed = apply();

    assertThat(
            testbed
                .exec(
                    "journalctl",
                    "--unit=systemd-nspawn@race.service",
                    "--lines=30",
                    "--no-pager",
                    "--output=cat")
                .out())
        .as("the unit's last 30 lines, of all its runs, still hold an earlier race")
        .contains("Machine 'race' already exists");
    assertThat(failed.exitCode()).as(failed.out()).isEqualTo(1);
    assertThat(failed.out())
        .contains("race: failed (job failed: unit result exit-code")
        .doesNotContain("restart race (");

    manifest("race", two);
    Testbed.Result healed = apply();
    assertThat(healed.exitCode()).as(healed.out()).isZero();
    assertThat(show("race", "ActiveState")).isEqualTo("active");
  }

  private interface Check {
    boolean holds() throws Exception;
  }

  private static void await(Check check) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!check.holds()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out");
      }
      Thread.sleep(100);
    }
  }

  @Test
  @Order(11)
  void theHandMadeContainerWasNeverTouched() throws Exception {
    assertThat(pid("hand")).isEqualTo(handPid);
    assertThat(testbed.exec("cat", "/etc/systemd/nspawn/hand.nspawn").out())
        .doesNotContain("berth");
    assertThat(testbed.exec("cat", "/var/lib/berth/inventory.json").out()).doesNotContain("hand");
  }

  @Test
  @Order(12)
  void driftIsPlannedAndCorrected() throws Exception {
    testbed.exec("systemctl", "stop", "systemd-nspawn@a.service").orFail("stopping a by hand");
    testbed
        .sh(
            "sed -i 's/^Boot=yes/Boot=yes\\nCapability=CAP_SYS_ADMIN/' /etc/systemd/nspawn/c.nspawn")
        .orFail("editing c.nspawn by hand");

    Testbed.Result plan = testbed.exec("java", "-jar", BERTH, "plan", REPO, "--host", "tb");

    assertThat(plan.exitCode()).as(plan.out() + plan.err()).isEqualTo(1);
    assertThat(plan.out())
        .contains("start a: unit is inactive/dead (drift: stopped outside berth); starting it")
        .contains(
            "restart c: changed Exec.Capability; drift: /etc/systemd/nspawn/c.nspawn edited by hand");
    Testbed.Result result = apply();
    assertThat(result.exitCode()).as(result.out()).isZero();
    assertThat(show("a", "ActiveState")).isEqualTo("active");
    assertThat(testbed.exec("cat", "/etc/systemd/nspawn/c.nspawn").out())
        .doesNotContain("CAP_SYS_ADMIN");
    assertThat(testbed.exec("java", "-jar", BERTH, "plan", REPO, "--host", "tb").exitCode())
        .isZero();
  }

  @Test
  @Order(13)
  void anInvalidRepositoryChangesNothing() throws Exception {
    Map<String, String> before = pids("a", "c", "race");
    Files.writeString(
        work.resolve("repo").resolve("broken.yaml"), container("broken", "colour: blue"));

    Testbed.Result result = apply();

    Files.delete(work.resolve("repo").resolve("broken.yaml"));
    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err())
        .contains("broken.yaml:13:3: unknown field \"colour\" in spec")
        .contains("nothing applied")
        .doesNotContain("Exception");
    assertThat(pids("a", "c", "race")).isEqualTo(before);
  }

  @Test
  @Order(14)
  void dependentsStartOnlyOnceTheirDependencyIsReady() throws Exception {
    manifest(
        "ready",
        container(
            "ready",
            with(
                BUSYBOX_KILL,
                "health:",
                "  command: [/bin/busybox, test, -e, /etc/inittab]",
                "  timeoutSec: 20")));
    manifest("after", container("after", with(BUSYBOX_KILL, "dependsOn: [ready]")));
    manifest(
        "never",
        container(
            "never",
            with(
                BUSYBOX_KILL,
                "health:",
                "  command: [/bin/busybox, test, -e, /nope]",
                "  timeoutSec: 2")));
    manifest("blocked", container("blocked", with(BUSYBOX_KILL, "dependsOn: [never]")));

    Testbed.Result result = apply();

    assertThat(result.exitCode()).as(result.out()).isEqualTo(1);
    assertThat(result.out())
        .contains("create ready: converged (unpacked 15 entries (sha256 checked); started; ready)")
        .contains("create after: converged")
        .contains(
            "create never: failed (started, but not ready within 2 s (the health command exited 1))")
        .contains("create blocked: blocked (dependency never did not converge)");
    assertThat(show("after", "ActiveState")).isEqualTo("active");
    assertThat(show("blocked", "ActiveState")).isNotEqualTo("active");
    assertThat(Long.parseLong(show("after", "ExecMainStartTimestampMonotonic")))
        .isGreaterThan(Long.parseLong(show("ready", "ExecMainStartTimestampMonotonic")));
  }

  @Test
  @Order(15)
  void whatThePlanSaysIsWhatApplyDoesEvenForAContainerWhoseNspawnFileIsGone() throws Exception {
    deleteManifest("after");
    testbed.exec("rm", "/etc/systemd/nspawn/after.nspawn").orFail("deleting after.nspawn by hand");

    Testbed.Result plan = testbed.exec("java", "-jar", BERTH, "plan", REPO, "--host", "tb");
    Testbed.Result result = apply();

    assertThat(plan.exitCode()).as(plan.out() + plan.err()).isEqualTo(1);
    assertThat(plan.out())
        .contains(
            "remove after: no longer placed on this host; berth's files go, the state directory"
                + " var/lib/machines/after stays");
    assertThat(result.out())
        .contains(
            "remove after: converged (disabled, stopped, files removed; state directory"
                + " /var/lib/machines/after kept)");
    assertThat(actions(result.out()))
        .as("every container's action in apply's results is the one the plan said\n%s", plan.out())
        .containsExactlyInAnyOrderElementsOf(actions(plan.out()));
    assertThat(show("after", "ActiveState")).isEqualTo("inactive");
    assertThat(
            testbed
                .exec(
                    "test",
                    "-e",
                    "/etc/systemd/system/systemd-nspawn@after.service.d/50-berth.conf")
                .exitCode())
        .isNotZero();
    assertThat(testbed.exec("cat", "/var/lib/berth/inventory.json").out())
        .doesNotContain("\"after\"");
    assertThat(testbed.exec("test", "-d", "/var/lib/machines/after").exitCode()).isZero();
  }

  /** {@code ACTION NAME} of each container line of a plan or of apply's results. */
  private static List<String> actions(String out) {
    return out.lines()
        .filter(line -> line.matches("[a-z]+ [a-z0-9-]+: .*"))
        .filter(line -> !line.startsWith("host ") && !line.startsWith("note "))
        .map(line -> line.substring(0, line.indexOf(':')))
        .toList();
  }

  private Map<String, String> pids(String... names) throws Exception {
    Map<String, String> pids = new LinkedHashMap<>();
    for (String name : names) {
      pids.put(name, pid(name));
    }
    return pids;
  }
}
