package dev.berth.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.agent.files.GenerationDirectory;
import dev.berth.reconciler.generation.Generation;
import dev.berth.reconciler.generation.GenerationOutcome;
import dev.berth.reconciler.plan.ActionClass;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HistoryCommandTest {
  @TempDir Path state;

  private void save(int number, ActionClass action, GenerationOutcome outcome, String message)
      throws IOException {
    new GenerationDirectory(state)
        .save(
            "web",
            new Generation(
                number,
                "0123456789abcdef0123",
                "2026-12-02T03:00:0" + number + "Z",
                action,
                outcome,
                message,
                "d",
                Map.of(),
                null,
                null));
  }

  @Test
  void listsTheGenerationsOldestFirstAndMarksTheLastGoodOne() throws IOException {
    save(1, ActionClass.CREATE, GenerationOutcome.GOOD, "started");
    save(2, ActionClass.RESTART, GenerationOutcome.ROLLED_BACK, "restarted, but\nnot ready");

    Cli cli = Cli.run("history", "web", "--state-dir", state.toString());

    assertThat(cli.exitCode()).as(cli.err()).isZero();
    assertThat(cli.out().lines())
        .containsExactly(
            "GEN  REVISION      TIME                  ACTION   OUTCOME      MESSAGE",
            "*1   0123456789ab  2026-12-02T03:00:01Z  create   good         started",
            "2    0123456789ab  2026-12-02T03:00:02Z  restart  rolled-back  restarted, but not ready");
  }

  @Test
  void saysSoWhenThereIsNoneAndRefusesWhatIsNoContainerName() {
    assertThat(Cli.run("history", "db", "--state-dir", state.toString()).out())
        .isEqualTo("no generations of db on this host\n");

    Cli bad = Cli.run("history", "../x", "--state-dir", state.toString());
    assertThat(bad.exitCode()).isEqualTo(2);
    assertThat(bad.err()).contains("../x: not a container name").doesNotContain("Exception");
  }
}
