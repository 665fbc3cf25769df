package dev.berth.agent.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The labels are in metrics, the journal and the status: dashboards and alerts match them. */
class PassResultTest {
  @Test
  void labelsKeepTheirNames() {
    assertThat(Arrays.stream(PassResult.values()).map(PassResult::label))
        .containsExactly(
            "success", "failed", "invalid", "refused", "error", "no-revision", "held", "suspended");
  }
}
