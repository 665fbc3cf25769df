package dev.berth.agent.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.reconciler.render.Marker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * An image upgrade on a real systemd host: a busybox container from tarball A runs; its manifest
 * switches to tarball B (another marker file inside); {@code berth plan} says {@code rebuild}, live
 * and offline; {@code berth apply} swaps the root (B's marker there, A's gone, a new PID 1) and
 * deletes A's cached tarball once the container came up on B. Also: a drop-in from a berth before
 * image records gains the record without a restart, and systemd reads it without a warning.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ImageUpgradeE2E {
  private static final Path JAR_DIR = Path.of("target");
  private static final String BERTH = "/opt/berth/berth.jar";
  private static final String REPO = "/opt/e2e/repo";
  private static final String ROOT = "/var/lib/machines/web";
  private static final String CACHE = "/var/lib/berth/images/";
  private static final String DROP_IN =
      "/etc/systemd/system/systemd-nspawn@web.service.d/50-berth.conf";

  private Path work;
  private Testbed testbed;
  private BusyboxImage a;
  private BusyboxImage b;

  @BeforeAll
  void boot() throws Exception {
    assertThat(JAR_DIR.resolve("berth.jar")).as("the built agent (mvn package)").exists();
    work = Files.createTempDirectory("berth-e2e-images");
    Files.createDirectories(work.resolve("repo"));
    a = BusyboxImage.build(work, "image-a", BusyboxImage.INITTAB, Map.of("marker-a", "a\n"));
    b = BusyboxImage.build(work, "image-b", BusyboxImage.INITTAB, Map.of("marker-b", "b\n"));
    testbed = Testbed.boot(JAR_DIR, work);
  }

  @AfterAll
  void shutDown() throws Exception {
    if (testbed != null) {
      testbed.close();
    }
  }

  private void manifest(BusyboxImage image) throws Exception {
    Files.writeString(work.resolve("repo/web.yaml"), image.killable("web"));
  }

  private Testbed.Result berth(String... args) throws Exception {
    String[] command = new String[args.length + 3];
    command[0] = "java";
    command[1] = "-jar";
    command[2] = BERTH;
    System.arraycopy(args, 0, command, 3, args.length);
    return testbed.exec(command);
  }

  private String leader() throws Exception {
    return testbed
        .exec("machinectl", "show", "--property=Leader", "--value", "web")
        .orFail("machinectl show")
        .out()
        .strip();
  }

  private boolean exists(String path) throws Exception {
    return testbed.exec("test", "-e", path).exitCode() == 0;
  }

  private String active() throws Exception {
    return testbed.exec("systemctl", "is-active", "systemd-nspawn@web.service").out().strip();
  }

  @Test
  @Order(1)
  void aContainerFromTarballARuns() throws Exception {
    manifest(a);

    Testbed.Result result = berth("apply", REPO, "--host", "tb");

    assertThat(result.exitCode()).as(result.out() + result.err()).isZero();
    assertThat(result.out()).contains("create web: converged (unpacked");
    assertThat(active()).isEqualTo("active");
    assertThat(exists(ROOT + "/marker-a")).isTrue();
    assertThat(exists(CACHE + a.sha256() + ".tar")).isTrue();
    assertThat(testbed.exec("cat", DROP_IN).out())
        .contains("[X-Berth]\nImage=tarball sha256:" + a.sha256() + "\n");
  }

  @Test
  @Order(2)
  void aDropInFromBeforeImageRecordsGainsTheRecordWithoutARestart() throws Exception {
    String current = testbed.exec("cat", DROP_IN).orFail("cat").out();
    String body = current.substring(current.indexOf('\n', current.indexOf("# berth-sha256")) + 1);
    Files.writeString(
        work.resolve("older-drop-in"),
        Marker.wrap("Container web", body.substring(0, body.indexOf("\n[X-Berth]")) + "\n"));
    testbed.exec("cp", "/opt/e2e/older-drop-in", DROP_IN).orFail("cp");
    testbed.exec("systemctl", "daemon-reload").orFail("daemon-reload");
    String leader = leader();

    Testbed.Result result = berth("apply", REPO, "--host", "tb");

    assertThat(result.exitCode()).as(result.out() + result.err()).isZero();
    assertThat(result.out())
        .contains("write web: converged (files written; the container is left alone)");
    assertThat(leader()).as("not restarted").isEqualTo(leader);
    assertThat(testbed.exec("cat", DROP_IN).out()).isEqualTo(current);
    // The control: a section systemd does not know and that lacks the X- prefix is warned about.
    String control = "/etc/systemd/system/systemd-nspawn@web.service.d/60-control.conf";
    testbed.sh("printf '[Berth-Control]\\nKey=1\\n' > " + control).orFail("control");
    testbed.exec("systemctl", "daemon-reload").orFail("daemon-reload");
    testbed.exec("rm", control).orFail("rm");
    testbed.exec("systemctl", "daemon-reload").orFail("daemon-reload");
    String journal = testbed.exec("journalctl", "-b", "--no-pager", "-o", "cat").out();
    assertThat(journal).contains("Unknown section 'Berth-Control'");
    assertThat(journal).as("systemd skips the X- section silently").doesNotContain("'X-Berth'");
  }

  @Test
  @Order(3)
  void switchingToTarballBIsPlannedAsARebuildLiveAndOffline() throws Exception {
    manifest(b);
    String change =
        "rebuild web: image changed: sha256 "
            + a.sha256().substring(0, 12)
            + "… → sha256 "
            + b.sha256().substring(0, 12)
            + "…; the new root is unpacked beside the old and swapped in at the restart";

    Testbed.Result live = berth("plan", REPO, "--host", "tb");
    Testbed.Result offline = berth("plan", REPO, "--host", "tb", "--root", "/");

    assertThat(live.exitCode()).as(live.out() + live.err()).isEqualTo(1);
    assertThat(live.out()).contains(change);
    assertThat(offline.exitCode()).as(offline.out() + offline.err()).isEqualTo(1);
    assertThat(offline.out()).contains(change);
    assertThat(exists(ROOT + "/marker-a")).as("plan changes nothing").isTrue();
  }

  @Test
  @Order(4)
  void applySwapsTheRootAndDeletesTheOldCachedTarball() throws Exception {
    String before = leader();

    Testbed.Result result = berth("apply", REPO, "--host", "tb");

    assertThat(result.exitCode()).as(result.out() + result.err()).isZero();
    assertThat(result.out())
        .contains("rebuild web: converged (staged the new root beside the current one: unpacked")
        .contains("swapped in the new root (sha256 " + b.sha256().substring(0, 12))
        .contains("released the previous root");
    assertThat(active()).isEqualTo("active");
    assertThat(leader()).as("a new PID 1").isNotEqualTo(before);
    assertThat(exists(ROOT + "/marker-b")).isTrue();
    assertThat(exists(ROOT + "/marker-a")).isFalse();
    assertThat(exists("/var/lib/machines/.web.berth-next")).isFalse();
    assertThat(exists("/var/lib/machines/.web.berth-previous")).as("released").isFalse();
    assertThat(exists(CACHE + a.sha256() + ".tar")).as("no root holds A").isFalse();
    assertThat(exists(CACHE + b.sha256() + ".tar")).isTrue();
    assertThat(
            testbed
                .exec("nsenter", "-t", leader(), "-m", "--", "/bin/busybox", "cat", "/marker-b")
                .out())
        .as("the container sees the new root")
        .isEqualTo("b\n");

    Testbed.Result again = berth("apply", REPO, "--host", "tb");
    assertThat(again.exitCode()).isZero();
    assertThat(again.out()).contains("none web: converged (up to date)");
  }
}
