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
 * The agent's live state snapshots and health probes on a real systemd host, with real machined: a
 * stopped busybox container's state directory snapshotted, changed and restored, the snapshot seen
 * by {@code machinectl list-images} and released; a snapshot that would not fit on a small pool
 * refused before anything is copied; a busybox {@code httpd} on a private veth probed at the
 * address machined reports. No engine calls these ports yet: {@link HostPortsTool} drives them with
 * the built jar inside the testbed host. The scenarios build on each other, in order.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SnapshotE2E {
  private static final Path JAR_DIR = Path.of("target");
  private static final String POOL = "/var/lib/machines";
  private static final String DATA = POOL + "/st1/var/data";
  private static final String NSPAWN =
      "[Exec]\nPrivateUsers=no\nKillSignal=SIGUSR2\n[Network]\nVirtualEthernet=no\nPrivate=no\n";

  private Path work;
  private Testbed testbed;

  @BeforeAll
  void boot() throws Exception {
    assertThat(JAR_DIR.resolve("berth.jar")).as("the built agent (mvn package)").exists();
    assertThat(JAR_DIR.resolve("test-classes/dev/berth/agent/e2e/HostPortsTool.class")).exists();
    work = Files.createTempDirectory("berth-snapshot-e2e");
    testbed = Testbed.boot(JAR_DIR, work);
    tree("st1", "::respawn:/bin/busybox sleep 3600\n");
    testbed.exec("mkdir", "-p", DATA).orFail("mkdir");
    testbed.sh("echo first > " + DATA + "/first").orFail("write the first file");
    nspawn("st1", NSPAWN);
  }

  @AfterAll
  void shutDown() throws Exception {
    if (testbed != null) {
      testbed.close();
    }
  }

  /** A busybox tree as TESTBED.md makes it, at /var/lib/machines/NAME. */
  private void tree(String name, String inittab) throws Exception {
    String root = POOL + "/" + name;
    testbed
        .sh(
            "set -e; R="
                + root
                + "; mkdir -p $R/bin $R/sbin $R/etc $R/usr $R/var $R/proc $R/sys $R/dev $R/run"
                + " $R/tmp; cp /bin/busybox $R/bin/; ln -s /bin/busybox $R/sbin/init;"
                + " ln -s /bin/busybox $R/bin/sh; echo ID=busybox > $R/etc/os-release")
        .orFail("make the tree of " + name);
    write(root + "/etc/inittab", inittab);
  }

  private void nspawn(String name, String settings) throws Exception {
    testbed.exec("mkdir", "-p", "/etc/systemd/nspawn").orFail("mkdir");
    write("/etc/systemd/nspawn/" + name + ".nspawn", settings);
  }

  private void write(String path, String content) throws Exception {
    Path staged = Files.createTempFile(work, "file", ".txt");
    Files.writeString(staged, content);
    testbed.exec("cp", "/opt/e2e/" + staged.getFileName(), path).orFail("write " + path);
  }

  private Testbed.Result tool(String... args) throws Exception {
    String[] command = new String[args.length + 4];
    command[0] = "java";
    command[1] = "-cp";
    command[2] = "/opt/berth/berth.jar:/opt/berth/test-classes";
    command[3] = HostPortsTool.class.getName();
    System.arraycopy(args, 0, command, 4, args.length);
    return testbed.exec(command);
  }

  private String listImages() throws Exception {
    return testbed.exec("machinectl", "list-images", "--no-legend").orFail("list-images").out();
  }

  private String dataFiles() throws Exception {
    return testbed.exec("ls", DATA).orFail("ls").out();
  }

  private void start(String machine) throws Exception {
    testbed.exec("systemctl", "start", "systemd-nspawn@" + machine + ".service").orFail("start");
    Await.until(
        machine + " registered",
        Duration.ofSeconds(30),
        () -> {
          try {
            return testbed.exec("machinectl", "show", machine).exitCode() == 0;
          } catch (Exception e) {
            return false;
          }
        });
  }

  private void stop(String machine) throws Exception {
    testbed.exec("systemctl", "stop", "systemd-nspawn@" + machine + ".service").orFail("stop");
  }

  @Test
  @Order(1)
  void aRestoredSnapshotBringsBackTheDeletedFileAndDropsTheNewOneKeepingTheNspawnFile()
      throws Exception {
    assertThat(tool("take", "st1", "st1.snap-1").orFail("take").out()).isEqualTo("ok\n");
    assertThat(listImages()).containsPattern("(?m)^st1\\.snap-1\\s+directory\\s+yes\\s");
    assertThat(testbed.exec("ls", "/etc/systemd/nspawn").out())
        .as("machined's copy of the settings for the snapshot is gone")
        .isEqualTo("st1.nspawn\n");

    testbed.sh("rm " + DATA + "/first && echo second > " + DATA + "/second").orFail("change");
    assertThat(dataFiles()).isEqualTo("second\n");

    assertThat(tool("restore", "st1", "st1.snap-1").orFail("restore").out()).isEqualTo("ok\n");

    assertThat(dataFiles()).isEqualTo("first\n");
    assertThat(testbed.exec("cat", DATA + "/first").out()).isEqualTo("first\n");
    assertThat(testbed.exec("cat", "/etc/systemd/nspawn/st1.nspawn").out()).isEqualTo(NSPAWN);
    assertThat(testbed.exec("ls", POOL).out())
        .as("nothing of the swap is left beside the image")
        .isEqualTo("st1\nst1.snap-1\n");
    assertThat(tool("list", "st1.").orFail("list").out()).isEqualTo("st1.snap-1\nok\n");
  }

  @Test
  @Order(2)
  void aRestoreInterruptedBetweenItsRenamesIsFinishedByRestoringAgain() throws Exception {
    // As a crash would leave it: the old image moved aside, a partial copy staged, no NAME.
    testbed.exec("mv", POOL + "/st1", POOL + "/st1.discarded").orFail("mv");
    testbed.exec("mkdir", "-p", POOL + "/st1.restoring/var").orFail("mkdir");
    testbed.sh("echo partial > " + POOL + "/st1.restoring/var/partial").orFail("write");

    assertThat(tool("restore", "st1", "st1.snap-1").orFail("restore").out()).isEqualTo("ok\n");

    assertThat(dataFiles()).isEqualTo("first\n");
    assertThat(testbed.exec("ls", POOL).out()).isEqualTo("st1\nst1.snap-1\n");
    assertThat(testbed.exec("cat", "/etc/systemd/nspawn/st1.nspawn").out()).isEqualTo(NSPAWN);
  }

  @Test
  @Order(3)
  void theRestoredImageBootsAndARunningMachineIsNeitherSnapshottedNorRestored() throws Exception {
    start("st1");

    Testbed.Result take = tool("take", "st1", "st1.snap-2");
    Testbed.Result restore = tool("restore", "st1", "st1.snap-1");
    // Why berth checks first: machined copies a running tree as it changes, and refuses only the
    // rename or removal of an image whose nspawn holds its lock.
    Testbed.Result clone = testbed.exec("machinectl", "clone", "st1", "st1-live-copy");
    Testbed.Result remove = testbed.exec("machinectl", "remove", "st1");
    stop("st1");

    assertThat(take.exitCode()).as(take.out()).isEqualTo(2);
    assertThat(take.out())
        .isEqualTo("failure: cannot snapshot st1 as st1.snap-2 while st1 runs: stop it first\n");
    assertThat(restore.out()).contains("while st1 runs: stop it first");
    assertThat(clone.exitCode()).as("machined clones a running image").isZero();
    assertThat(remove.exitCode()).isNotZero();
    assertThat(remove.err()).contains("Device or resource busy");
    assertThat(listImages()).doesNotContain("st1.snap-2");
    testbed.exec("machinectl", "remove", "st1-live-copy").orFail("remove the live copy");
  }

  @Test
  @Order(4)
  void aReleasedSnapshotIsGoneAndReleasingItAgainIsFine() throws Exception {
    assertThat(tool("release", "st1.snap-1").orFail("release").out()).isEqualTo("ok\n");
    assertThat(tool("release", "st1.snap-1").orFail("release again").out()).isEqualTo("ok\n");

    assertThat(listImages()).doesNotContain("st1.snap-1");
    assertThat(testbed.exec("ls", POOL).out()).isEqualTo("st1\n");
  }

  @Test
  @Order(5)
  void anHttpdOnAPrivateVethIsProbedAtTheAddressMachinedReports() throws Exception {
    tree(
        "web",
        "::sysinit:/bin/busybox ip link set host0 up\n"
            + "::sysinit:/bin/busybox ip addr add 10.99.0.2/24 dev host0\n"
            + "::respawn:/bin/busybox httpd -f -p 8080 -h /www\n");
    testbed.exec("mkdir", "-p", POOL + "/web/www").orFail("mkdir");
    write(POOL + "/web/www/index.html", "hello\n");
    nspawn("web", "[Exec]\nPrivateUsers=no\nKillSignal=SIGUSR2\n[Network]\nVirtualEthernet=yes\n");
    start("web");
    testbed
        .sh("ip addr add 10.99.0.1/24 dev ve-web && ip link set ve-web up")
        .orFail("the host's side of the veth");
    Await.until(
        "httpd in web answers",
        Duration.ofSeconds(30),
        () -> {
          try {
            return tool("tcp", "web", "8080", "500").out().startsWith("up ");
          } catch (Exception e) {
            return false;
          }
        });

    String addresses = tool("addresses", "web").orFail("addresses").out();
    String status = testbed.exec("machinectl", "status", "web").out();
    Testbed.Result page = tool("http", "web", "8080", "/index.html", "2000");
    Testbed.Result missing = tool("http", "web", "8080", "/missing", "2000");
    Testbed.Result closed = tool("tcp", "web", "8081", "2000");
    stop("web");

    assertThat(addresses).startsWith("10.99.0.2\n");
    assertThat(status).as("machinectl shows the same address").contains("10.99.0.2");
    assertThat(page.out()).isEqualTo("up HTTP 200 from 10.99.0.2:8080/index.html\nok\n");
    assertThat(missing.out()).isEqualTo("down HTTP 404 from 10.99.0.2:8080/missing\nok\n");
    assertThat(closed.out()).isEqualTo("down connection refused to 10.99.0.2:8081\nok\n");
  }

  @Test
  @Order(6)
  void onASmallPoolARestoreMakesRoomFromTheDiscardedStateAndASnapshotThatWouldNotFitIsRefused()
      throws Exception {
    // A pool of its own: 8 MiB of tmpfs over /var/lib/machines, which machined uses as it is. The
    // tree (busybox and 1 MiB) fits twice, not three times.
    testbed.exec("mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", POOL).orFail("mount");
    tree("small", "::respawn:/bin/busybox sleep 3600\n");
    testbed
        .exec("dd", "if=/dev/zero", "of=" + POOL + "/small/var/blob", "bs=1M", "count=1")
        .orFail("fill");
    assertThat(tool("take", "small", "small.snap-1").orFail("take").out()).isEqualTo("ok\n");
    testbed.sh("rm " + POOL + "/small/var/blob && echo new > " + POOL + "/small/var/new");

    assertThat(tool("restore", "small", "small.snap-1").orFail("restore").out()).isEqualTo("ok\n");
    assertThat(testbed.exec("ls", POOL + "/small/var").out()).isEqualTo("blob\n");
    assertThat(testbed.exec("ls", POOL).out()).isEqualTo("small\nsmall.snap-1\n");

    String before = testbed.exec("df", "--output=used", POOL).orFail("df").out();
    Testbed.Result take = tool("take", "small", "small.snap-2");

    assertThat(take.exitCode()).as(take.out()).isEqualTo(3);
    assertThat(take.out())
        .matches(
            "refused: cannot snapshot small as small.snap-2: the copy needs 2\\.\\d MiB,"
                + " /var/lib/machines has [0-2]\\.\\d MiB free\n");
    assertThat(listImages()).doesNotContain("small.snap-2");
    assertThat(testbed.exec("df", "--output=used", POOL).out()).isEqualTo(before);
  }
}
