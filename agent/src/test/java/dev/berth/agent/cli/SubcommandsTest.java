package dev.berth.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.Command;

/** Which subcommands a command line gets built: the one it names, else all. */
class SubcommandsTest {
  @Test
  void eachSubcommandsNameAsTheFirstArgumentReachesThatSubcommandAlone() {
    for (Class<?> subcommand : Subcommands.ALL) {
      String name = subcommand.getAnnotation(Command.class).name();

      assertThat(Subcommands.reachedBy(name, "--help")).as(name).containsExactly(subcommand);
    }
  }

  @Test
  void noArgumentsOptionsFirstOrAnUnknownWordReachEverySubcommand() {
    for (String[] args :
        List.of(
            new String[0],
            new String[] {"--help"},
            new String[] {"-h", "validate"},
            new String[] {"validat", "examples-repo"},
            new String[] {"VALIDATE"})) {
      assertThat(Subcommands.reachedBy(args)).isSameAs(Subcommands.ALL);
    }
  }

  @Test
  void theVersionAloneReachesNoSubcommandAndStillPrintsTheVersion() {
    assertThat(Subcommands.reachedBy("--version")).isEmpty();
    assertThat(Subcommands.reachedBy("-V")).isEmpty();
    assertThat(Subcommands.reachedBy("--version", "validate")).isSameAs(Subcommands.ALL);

    Cli cli = Cli.run("--version");

    assertThat(cli.exitCode()).isZero();
    assertThat(cli.out()).startsWith("berth ");
  }

  @Test
  void onlyOneSubcommandMarkedAsReadingManifestsCountsAsReadingThem() {
    for (String reads :
        List.of("validate", "render", "plan", "diff", "apply", "create", "update")) {
      assertThat(Subcommands.readManifests(Subcommands.reachedBy(reads, "x"))).as(reads).isTrue();
    }
    assertThat(Subcommands.readManifests(Subcommands.reachedBy("migrate", "x"))).isTrue();
    for (String other : List.of("status", "logs", "list", "remove", "completion", "seal")) {
      assertThat(Subcommands.readManifests(Subcommands.reachedBy(other))).as(other).isFalse();
    }
    assertThat(Subcommands.readManifests(Subcommands.reachedBy("--help"))).isFalse();
    assertThat(Subcommands.readManifests(Subcommands.reachedBy("--version"))).isFalse();
  }

  @Test
  void theTopLevelHelpListsEverySubcommand() {
    Cli cli = Cli.run("--help");

    assertThat(cli.exitCode()).isZero();
    for (Class<?> subcommand : Subcommands.ALL) {
      assertThat(cli.out()).contains("  " + subcommand.getAnnotation(Command.class).name() + " ");
    }
  }
}
