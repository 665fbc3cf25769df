package dev.berth.agent.e2e;

import static org.assertj.core.api.Assertions.assertThat;

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
 * A host whose {@code /etc/systemd/system} is read-only, as NixOS builds it from the store: berth
 * puts its drop-ins and {@code machines.target.wants} links in {@code /etc/systemd/system.control},
 * which systemd reads too, and the container runs, reloads and is removed as anywhere else.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReadOnlyUnitDirE2E {
  private static final Path JAR_DIR = Path.of("target");
  private static final String CONTROL = "/etc/systemd/system.control";

  private Path work;
  private Testbed testbed;
  private BusyboxImage image;

  @BeforeAll
  void boot() throws Exception {
    work = Files.createTempDirectory("berth-e2e-rounits");
    Files.createDirectories(work.resolve("repo"));
    image = BusyboxImage.build(work);
    Files.copy(image.tarball(), work.resolve("busybox.tar"));
    testbed = Testbed.boot(JAR_DIR, work);
    testbed
        .sh(
            "mount --bind /etc/systemd/system /etc/systemd/system"
                + " && mount -o remount,bind,ro /etc/systemd/system"
                + " && ! touch /etc/systemd/system/probe 2>/dev/null")
        .orFail("making /etc/systemd/system read-only");
  }

  @AfterAll
  void shutDown() throws Exception {
    if (testbed != null) {
      testbed.close();
    }
  }

  private void manifest(String... spec) throws Exception {
    Files.writeString(work.resolve("repo/ro.yaml"), image.killable("ro", spec));
  }

  private Testbed.Result apply() throws Exception {
    return testbed.exec(
        "java", "-jar", "/opt/berth/berth.jar", "apply", "/opt/e2e/repo", "--host", "tb");
  }

  private String show(String property) throws Exception {
    return testbed
        .exec("systemctl", "show", "--property=" + property, "--value", "systemd-nspawn@ro.service")
        .orFail("systemctl show")
        .out()
        .strip();
  }

  @Test
  @Order(1)
  void theDropInAndTheEnablementGoToSystemControl() throws Exception {
    manifest("timeoutStartSec: 42s");

    Testbed.Result result = apply();

    assertThat(result.exitCode()).as(result.out() + result.err()).isZero();
    assertThat(result.out()).contains("create ro: converged");
    assertThat(show("ActiveState")).isEqualTo("active");
    assertThat(show("DropInPaths"))
        .contains(CONTROL + "/systemd-nspawn@ro.service.d/50-berth.conf");
    assertThat(show("TimeoutStartUSec")).isEqualTo("42s");
    assertThat(show("ExecReload")).contains("machinectl");
    assertThat(
            testbed
                .exec("test", "-L", CONTROL + "/machines.target.wants/systemd-nspawn@ro.service")
                .exitCode())
        .isZero();
    assertThat(testbed.exec("systemctl", "list-dependencies", "--plain", "machines.target").out())
        .contains("systemd-nspawn@ro.service");
  }

  @Test
  @Order(2)
  void aSecondPassChangesNothingAndAChangeRestarts() throws Exception {
    assertThat(apply().out()).contains("none ro: converged (up to date)");

    manifest("timeoutStartSec: 43s");
    Testbed.Result result = apply();

    assertThat(result.out()).contains("restart ro: converged");
    assertThat(show("TimeoutStartUSec")).isEqualTo("43s");
  }

  @Test
  @Order(3)
  void removingTheContainerRemovesItsFilesAndLink() throws Exception {
    Files.delete(work.resolve("repo/ro.yaml"));

    Testbed.Result result = apply();

    assertThat(result.exitCode()).as(result.out() + result.err()).isZero();
    assertThat(result.out()).contains("remove ro: converged");
    assertThat(testbed.exec("ls", "-A", CONTROL + "/machines.target.wants").out().strip())
        .isEmpty();
    assertThat(
            testbed
                .exec("test", "-e", CONTROL + "/systemd-nspawn@ro.service.d/50-berth.conf")
                .exitCode())
        .isNotZero();
  }
}
