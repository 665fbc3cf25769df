package dev.berth.reconciler.generation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.reconciler.plan.ActionClass;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RetentionTest {
  private static List<Generation> history(GenerationOutcome... outcomes) {
    return java.util.stream.IntStream.range(0, outcomes.length)
        .mapToObj(
            i ->
                new Generation(
                    i + 1,
                    "r",
                    "t",
                    ActionClass.RESTART,
                    outcomes[i],
                    "",
                    "d",
                    Map.of(),
                    null,
                    null))
        .toList();
  }

  private static List<Integer> released(List<Generation> history, int keep) {
    return Retention.released(history, keep).stream().map(Generation::number).toList();
  }

  @Test
  void keepsTheNewestAndTheLastGoodOneBeyondThem() {
    var good = GenerationOutcome.GOOD;
    var back = GenerationOutcome.ROLLED_BACK;
    assertThat(released(history(good, good, good), 2)).containsExactly(1);
    assertThat(released(history(good, back, back), 2)).as("1 is the rollback target").isEmpty();
    assertThat(released(history(good, back, back, back), 2)).containsExactly(2);
    assertThat(released(history(good, good), 5)).isEmpty();
    assertThat(released(history(back, back, back), 1)).containsExactly(1, 2);
  }

  @Test
  void theLastGoodIsTheNewestGoodOne() {
    var history = history(GenerationOutcome.GOOD, GenerationOutcome.GOOD, GenerationOutcome.FAILED);
    assertThat(Retention.lastGood(history).orElseThrow().number()).isEqualTo(2);
    assertThat(Retention.lastGood(history(GenerationOutcome.FAILED))).isEmpty();
    assertThat(Arrays.asList(GenerationOutcome.values()))
        .extracting(GenerationOutcome::label)
        .containsExactly("good", "failed", "rolled-back");
  }
}
