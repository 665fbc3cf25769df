package dev.berth.agent.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * The journalctl command line (the real journal is read on the testbed: ApplyE2E's restart race,
 * and its check that an earlier run's race line does not make a later failure one).
 */
class JournalctlJournalTest {
  private static final String UNIT = "systemd-nspawn@web.service";
  private static final String RUN = "8f1a007ce2414d0b9a3310ff01025e6d";

  @Test
  void oneRunIsWhatItsProcessesAndSystemdLoggedAboutIt() {
    assertThat(JournalctlJournal.command(UNIT, RUN, 30))
        .containsExactly(
            "journalctl",
            "--unit=" + UNIT,
            "_SYSTEMD_INVOCATION_ID=" + RUN,
            "+",
            "INVOCATION_ID=" + RUN,
            "--lines=30",
            "--no-pager",
            "--output=cat",
            "--quiet");
  }

  @Test
  void withoutARunItIsTheUnitsLastLines() {
    assertThat(JournalctlJournal.command(UNIT, "", 5))
        .containsExactly(
            "journalctl", "--unit=" + UNIT, "--lines=5", "--no-pager", "--output=cat", "--quiet");
  }

  @Test
  void anythingButAnInvocationIdIsRefused() {
    assertThatThrownBy(() -> JournalctlJournal.command(UNIT, "x _PID=1", 5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not an InvocationID");
  }
}
