package dev.berth.agent.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * install.sh passes shellcheck, and its copy step fails loudly; InstallScriptE2E runs the whole
 * script on a real systemd host. Both run in CI.
 */
class InstallScriptIT {
  private static final Path DEPLOY = Path.of("..", "helm-free-deploy");

  @TempDir Path tmp;

  @Test
  void shellcheckFindsNothing() throws Exception {
    Tool.Run run = new Tool("shellcheck", "shellcheck").run(DEPLOY, "--shell=bash", "install.sh");
    assertThat(run.exitCode()).as(run.output()).isZero();
    assertThat(run.output()).isEmpty();
  }

  @Test
  void isExecutable() {
    assertThat(Files.isExecutable(DEPLOY.resolve("install.sh"))).isTrue();
  }

  // The script sourced, its copy step called as do_install calls it: inside "place ... &&", where
  // bash ignores set -e. The target lies under a regular file, which stops even root, so the test
  // needs no read-only mount and touches nothing outside its temporary directory.
  @Test
  void aCopyThatFailsStopsTheScriptWithOneLineAndIsNeverReportedAsInstalled() throws Exception {
    Path jar = Files.writeString(tmp.resolve("berth.jar"), "not really a jar");
    Path notADirectory = Files.writeString(tmp.resolve("usr"), "a file where a directory goes");
    Path target = notADirectory.resolve("lib/berth/berth.jar");

    Tool.Run run =
        new Tool("bash", "bash")
            .run(
                DEPLOY,
                "-c",
                "set -euo pipefail; source ./install.sh; changed=no;"
                    + " place \"$1\" \"$2\" 0644 && changed=yes; echo \"went on, changed=$changed\"",
                "install.sh",
                jar.toString(),
                target.toString());

    assertThat(run.exitCode()).as(run.output()).isEqualTo(1);
    assertThat(run.output().lines()).as(run.output()).hasSize(1);
    assertThat(run.output())
        .startsWith("install.sh: installing " + target + " failed: install: cannot create")
        .doesNotContain("installed")
        .doesNotContain("went on");
    assertThat(Files.exists(target)).as(target + " exists").isFalse();
  }
}
