package dev.berth.agent.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The reasons are part of the status document: operators and scripts match them by name. */
class ConditionReasonTest {
  @Test
  void reasonsKeepTheirNames() {
    assertThat(Arrays.stream(ConditionReason.values()).map(ConditionReason::camelCase))
        .containsExactly(
            "ReconciliationSucceeded",
            "ReconciliationFailed",
            "BackingOff",
            "DependencyNotReady",
            "Suspended",
            "DriftDetected",
            "NotManagedByBerth",
            "BuildingSystem",
            "RolledBack",
            "JobInProgress",
            "OutsideWindow");
  }
}
