package dev.berth.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FleetCommandTest {
  @Test
  void aUrlThatIsNoHttpUrlIsOneLineAndExitTwoWithoutItsPassword() {
    Cli cli = Cli.run("fleet", "--prometheus", "file://admin:hunter2@localhost/tmp");

    assertThat(cli.exitCode()).isEqualTo(2);
    assertThat(cli.err())
        .isEqualTo(
            "berth: --prometheus: not an http:// or https:// URL of a Prometheus server:"
                + " file://localhost/tmp\n");
  }

  @Test
  void thePrometheusUrlIsRequired() {
    Cli cli = Cli.run("fleet");

    assertThat(cli.exitCode()).isEqualTo(2);
    assertThat(cli.err()).contains("--prometheus=URL");
  }
}
