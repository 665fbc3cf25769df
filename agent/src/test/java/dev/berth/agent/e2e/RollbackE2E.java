package dev.berth.agent.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Automatic rollback on a real systemd host (docs/rollback.md): a change that leaves a container
 * unhealthy is rolled back to the last good generation by {@code berth apply}, byte for byte, and
 * not tried again until the manifest changes. The scenarios build on each other, in order.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RollbackE2E {
  private static final Path JAR_DIR = Path.of("target");
  private static final String BERTH = "/opt/berth/berth.jar";
  private static final String REPO = "/opt/e2e/repo";
  private static final String HEALTHY = "  command: [/bin/busybox, test, -e, /etc/inittab]";

  private Path work;
  private Testbed testbed;
  private BusyboxImage image;

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

  private void manifest(String name, String yaml) throws IOException {
    Files.writeString(work.resolve("repo").resolve(name + ".yaml"), yaml);
  }

  private Testbed.Result apply() throws Exception {
    return testbed.exec("java", "-jar", BERTH, "apply", REPO, "--host", "tb");
  }

  private String show(String container, String property) throws Exception {
    return testbed.unitProperty(container, property);
  }

  private String sha256(String path) throws Exception {
    return testbed.exec("sha256sum", path).orFail("sha256sum " + path).out().split(" ")[0];
  }

  private String history(String container) throws Exception {
    return testbed.exec("java", "-jar", BERTH, "history", container).orFail("berth history").out();
  }

  @Test
  @Order(1)
  void aChangeWhoseContainerDiesAtBootIsRolledBackByteForByteAndNotRetried() throws Exception {
    manifest(
        "web",
        image.killable("web", "health:", HEALTHY, "  timeoutSec: 20", "capabilities: [CAP_CHOWN]"));
    Testbed.Result first = apply();
    assertThat(first.exitCode()).as(first.out() + first.err()).isZero();
    String nspawn = sha256("/etc/systemd/nspawn/web.nspawn");
    String dropIn = sha256("/etc/systemd/system/systemd-nspawn@web.service.d/50-berth.conf");

    // The new generation's payload cannot even start: nspawn fails to enter its working directory.
    manifest(
        "web",
        image.container(
            "web",
            "nspawn:",
            "  Exec:",
            "    KillSignal: SIGUSR2",
            "    WorkingDirectory: /does-not-exist",
            "health:",
            HEALTHY,
            "  timeoutSec: 20",
            "capabilities: [CAP_CHOWN]"));
    Testbed.Result broken = apply();

    assertThat(broken.exitCode()).as(broken.out() + broken.err()).isEqualTo(1);
    assertThat(broken.out())
        .contains("restart web: rolled_back (")
        .containsPattern("rolled back to generation 1 in \\d+\\.\\d s: started it")
        .contains("not retried until its files change");
    assertThat(show("web", "ActiveState")).isEqualTo("active");
    assertThat(sha256("/etc/systemd/nspawn/web.nspawn")).isEqualTo(nspawn);
    assertThat(sha256("/etc/systemd/system/systemd-nspawn@web.service.d/50-berth.conf"))
        .isEqualTo(dropIn);
    assertThat(history("web")).containsPattern("\\*1 .* create +good").contains("rolled-back");
    String pid = show("web", "MainPID");

    Testbed.Result again = apply();
    assertThat(again.out())
        .contains("restart web: skipped (rolled back at")
        .contains("it keeps generation 1 until its manifest changes");
    assertThat(show("web", "MainPID")).as("not retried").isEqualTo(pid);

    manifest(
        "web",
        image.killable("web", "health:", HEALTHY, "  timeoutSec: 20", "capabilities: [CAP_KILL]"));
    Testbed.Result fixed = apply();
    assertThat(fixed.exitCode()).as(fixed.out() + fixed.err()).isZero();
    assertThat(fixed.out()).contains("restart web: converged");
    assertThat(history("web")).containsPattern("\\*3 .* restart +good");
  }

  @Test
  @Order(2)
  void historyAsJsonListsTheGenerationsAndABadNameIsOneLine() throws Exception {
    Testbed.Result json =
        testbed.exec("java", "-jar", BERTH, "history", "web", "--output", "json").orFail("json");
    assertThat(json.out())
        .contains("\"container\" : \"web\"")
        .contains("\"outcome\" : \"rolled-back\"")
        .contains("\"lastGood\" : true");

    Testbed.Result bad = testbed.exec("java", "-jar", BERTH, "history", "../etc");
    assertThat(bad.exitCode()).isEqualTo(2);
    assertThat(bad.err().strip()).doesNotContain("\n").contains("not a container name");
  }

  @Test
  @Order(3)
  void anImageUpgradeWhoseNewImageCrashesAtBootIsRolledBackToTheOldRoot() throws Exception {
    BusyboxImage good =
        BusyboxImage.build(work, "good", BusyboxImage.INITTAB, java.util.Map.of("good", "1\n"));
    BusyboxImage crashing =
        BusyboxImage.build(
            work, "crashing", "::sysinit:/bin/busybox poweroff -f\n", java.util.Map.of());
    String[] spec = {
      "nspawn:",
      "  Exec:",
      "    KillSignal: SIGUSR2",
      "health:",
      "  command: [/bin/busybox, test, -e, /good]",
      "  timeoutSec: 20"
    };
    manifest("img", good.container("img", spec));
    Testbed.Result first = apply();
    assertThat(first.exitCode()).as(first.out() + first.err()).isZero();
    String dropIn = sha256("/etc/systemd/system/systemd-nspawn@img.service.d/50-berth.conf");

    manifest("img", crashing.container("img", spec));
    Testbed.Result plan = testbed.exec("java", "-jar", BERTH, "plan", REPO, "--host", "tb");
    assertThat(plan.exitCode()).as("changes: " + plan.err()).isEqualTo(1);
    assertThat(plan.out()).contains("rebuild img: image changed");
    Testbed.Result upgrade = apply();

    assertThat(upgrade.exitCode()).as(upgrade.out() + upgrade.err()).isEqualTo(1);
    assertThat(upgrade.out())
        .contains("rebuild img: rolled_back (")
        .contains("on its previous root");
    assertThat(show("img", "ActiveState")).isEqualTo("active");
    assertThat(testbed.exec("cat", "/var/lib/machines/img/good").orFail("the old root").out())
        .isEqualTo("1\n");
    assertThat(sha256("/etc/systemd/system/systemd-nspawn@img.service.d/50-berth.conf"))
        .isEqualTo(dropIn);
    assertThat(testbed.exec("test", "-e", "/var/lib/machines/.img.berth-previous").exitCode())
        .as("the crashing root is discarded")
        .isNotZero();
    assertThat(apply().out()).contains("rebuild img: skipped (rolled back at");
  }

  @Test
  @Order(4)
  void aChangeWhoseHttpProbeNeverAnswersIsRolledBack() throws Exception {
    BusyboxImage served =
        BusyboxImage.build(
            work,
            "served",
            "::sysinit:/bin/busybox echo booted\n"
                + "::respawn:/bin/busybox httpd -f -p 127.0.0.1:8081 -h /www\n",
            java.util.Map.of("www/index.html", "up\n"));
    manifest(
        "api",
        served.killable(
            "api",
            "health:",
            "  http: {port: 8081}",
            "  timeoutSec: 20",
            "capabilities: [CAP_CHOWN]"));
    Testbed.Result first = apply();
    assertThat(first.exitCode()).as(first.out() + first.err()).isZero();
    assertThat(first.out()).contains("create api: converged").contains("; ready");
    String nspawn = sha256("/etc/systemd/nspawn/api.nspawn");

    // The new generation's health is on a port nothing listens on: the probe never answers.
    manifest(
        "api",
        served.killable(
            "api",
            "health:",
            "  http: {port: 8082}",
            "  timeoutSec: 3",
            "capabilities: [CAP_KILL]"));
    Testbed.Result broken = apply();

    assertThat(broken.exitCode()).as(broken.out() + broken.err()).isEqualTo(1);
    assertThat(broken.out())
        .contains("restart api: rolled_back (restarted, but not ready within 3 s (the HTTP probe:")
        .contains("127.0.0.1:8082")
        .containsPattern("rolled back to generation 1 in \\d+\\.\\d s: started it");
    assertThat(sha256("/etc/systemd/nspawn/api.nspawn")).isEqualTo(nspawn);
    assertThat(show("api", "ActiveState")).isEqualTo("active");
  }

  @Test
  @Order(5)
  void withSnapshotTheBrokenGenerationsWritesAreGoneAndTheGoodOnesStay() throws Exception {
    String[] good = {
      "rollback: {snapshot: true}",
      "health:",
      HEALTHY,
      "  timeoutSec: 20",
      "capabilities: [CAP_CHOWN]"
    };
    manifest("snap", image.killable("snap", good));
    assertThat(apply().exitCode()).isZero();
    testbed
        .exec("sh", "-c", "echo mine > /var/lib/machines/snap/good.txt")
        .orFail("the good generation's data");

    // The broken generation writes into its state, then reports itself unhealthy.
    manifest(
        "snap",
        image.killable(
            "snap",
            "rollback: {snapshot: true}",
            "health:",
            "  command: [/bin/sh, -c, \"echo broken > /broken.txt; exit 1\"]",
            "  timeoutSec: 3",
            "capabilities: [CAP_KILL]"));
    Testbed.Result broken = apply();

    assertThat(broken.exitCode()).as(broken.out() + broken.err()).isEqualTo(1);
    assertThat(broken.out())
        .contains("snapshotted /var/lib/machines/snap as snap.berth-before-g2")
        .contains("rolled back to generation 1")
        .contains("with its state from snap.berth-before-g2");
    assertThat(testbed.exec("test", "-e", "/var/lib/machines/snap/broken.txt").exitCode())
        .as("the broken generation's write is gone")
        .isNotZero();
    assertThat(testbed.exec("cat", "/var/lib/machines/snap/good.txt").orFail("good.txt").out())
        .isEqualTo("mine\n");
    assertThat(show("snap", "ActiveState")).isEqualTo("active");
    assertThat(testbed.exec("machinectl", "list-images", "--no-legend").out())
        .as("the snapshot is released with its activation")
        .doesNotContain("snap.berth-before-g2");

    manifest(
        "snap",
        image.killable(
            "snap",
            "rollback: {snapshot: true}",
            "health:",
            HEALTHY,
            "  timeoutSec: 20",
            "capabilities: [CAP_SYS_TIME]"));
    Testbed.Result fixed = apply();
    assertThat(fixed.out())
        .contains("snapshotted /var/lib/machines/snap as snap.berth-before-g3")
        .contains("restart snap: converged");
    assertThat(testbed.exec("machinectl", "list-images", "--no-legend").out())
        .doesNotContain("berth-before");
  }
}
