package dev.berth.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine.Command;

/** {@code berth completion bash} loaded into a real bash, which completes berth's words with it. */
class CompletionScriptIT {
  @TempDir Path tmp;

  /** What bash offers for the words typed so far (the last one being completed). */
  private String complete(Path script, String... words) throws Exception {
    String line = "berth " + String.join(" ", words);
    Process bash =
        new ProcessBuilder(
                "bash",
                "-c",
                "source \"$1\"; read -r -a COMP_WORDS <<<\"$2\"; [[ $2 == *' ' ]] &&"
                    + " COMP_WORDS+=(''); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); COMP_LINE=$2;"
                    + " COMP_POINT=${#COMP_LINE}; _complete_berth; printf '%s\\n'"
                    + " \"${COMPREPLY[@]}\"",
                "bash",
                script.toString(),
                line)
            .redirectError(tmp.resolve("stderr").toFile())
            .start();
    String out = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(bash.waitFor(30, TimeUnit.SECONDS)).isTrue();
    // Called directly, not by bash's completion, the script's compopt (which only tunes how bash
    // shows the words) says so; nothing else may be on its standard error.
    String errors = Files.readString(tmp.resolve("stderr"));
    assertThat(errors.lines().filter(error -> !error.contains("compopt: not currently executing")))
        .as(errors)
        .isEmpty();
    assertThat(bash.exitValue()).as(out + errors).isZero();
    return out;
  }

  @Test
  void bashCompletesSubcommandsAndTheirOptions() throws Exception {
    Cli cli = Cli.run("completion", "bash");
    assertThat(cli.exitCode()).as(cli.err()).isZero();
    Path script = Files.writeString(tmp.resolve("berth"), cli.out());

    String all = complete(script, "");
    for (Class<?> subcommand : Subcommands.ALL) {
      assertThat(all.lines()).contains(subcommand.getAnnotation(Command.class).name());
    }
    assertThat(complete(script, "lo").lines()).containsExactly("logs");
    assertThat(complete(script, "status", "--o").lines()).containsExactly("--output");
    assertThat(complete(script, "status", "--output", "").lines())
        .containsExactlyInAnyOrder("text", "json", "yaml");
  }

  @Test
  void aShellWithoutAScriptIsAUsageError() {
    Cli cli = Cli.run("completion", "fish");

    assertThat(cli.exitCode()).isEqualTo(2);
    assertThat(cli.err()).startsWith("berth: Invalid value for positional parameter");
  }
}
