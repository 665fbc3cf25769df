package dev.berth.agent.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * install.sh passes shellcheck; InstallScriptE2E runs it on a real systemd host. Both run in CI.
 */
class InstallScriptIT {
  private static final Path DEPLOY = Path.of("..", "helm-free-deploy");

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
}
