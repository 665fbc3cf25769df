package dev.berth.agent.cli;

import static dev.berth.agent.cli.CaFileOptionTest.parsed;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * {@code --parallel} of berth apply and berth agent: one default for both, a count given is taken,
 * and one that activates nothing or is no number is a usage error (exit 2) before anything runs.
 */
class ParallelOptionTest {
  @Test
  void applyAndTheAgentDefaultToTheSameWindowAndTakeACount() {
    assertThat(parsed(new ApplyCommand(), "manifests").parallel.containers)
        .isEqualTo(Integer.parseInt(ParallelOption.DEFAULT))
        .isEqualTo(parsed(new AgentCommand()).parallel.containers);
    assertThat(parsed(new ApplyCommand(), "manifests", "--parallel", "4").parallel.containers)
        .isEqualTo(4);
    assertThat(parsed(new AgentCommand(), "--parallel=1").parallel.containers).isEqualTo(1);
  }

  @Test
  void zeroANegativeCountAndAWordAreRefusedInOneLine() {
    for (String value : new String[] {"0", "-3", "all"}) {
      Cli cli = Cli.run("apply", "manifests", "--parallel", value);

      assertThat(cli.exitCode()).as(value).isEqualTo(2);
      assertThat(cli.err().lines())
          .as(value)
          .singleElement()
          .asString()
          .startsWith("berth: Invalid value for option '--parallel': '" + value + "' is");
      assertThat(cli.out()).as(value).isEmpty();
    }
  }
}
