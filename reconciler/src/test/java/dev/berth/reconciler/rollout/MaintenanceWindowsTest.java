package dev.berth.reconciler.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.reconciler.model.RolloutSpec.MaintenanceWindow;
import dev.berth.reconciler.pass.HeldActions;
import dev.berth.reconciler.plan.ActionClass;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Which plan classes the maintenance windows hold at a time, and until when. */
class MaintenanceWindowsTest {
  private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
  private static final Set<ActionClass> DISRUPTIVE =
      EnumSet.of(ActionClass.RESTART, ActionClass.REBUILD, ActionClass.REMOVE, ActionClass.STOP);

  private static MaintenanceWindow window(
      String cron, ZoneId zone, Duration duration, String... actions) {
    return new MaintenanceWindow(cron, zone, duration, Set.of(actions));
  }

  /** Every night at 02:00 UTC for two hours, the default (disruptive) actions. */
  private static final MaintenanceWindows NIGHTLY =
      new MaintenanceWindows(List.of(window("0 0 2 * * ?", ZoneOffset.UTC, Duration.ofHours(2))));

  private static Instant at(String instant) {
    return Instant.parse(instant);
  }

  private static Map<ActionClass, Instant> heldUntil(Instant opens, Set<ActionClass> actions) {
    return actions.stream().collect(Collectors.toMap(action -> action, action -> opens));
  }

  @Test
  void nothingIsHeldWhileAWindowIsOpenFromItsFiringToItsEnd() {
    assertThat(NIGHTLY.at(at("2026-12-05T02:00:00Z"))).isEqualTo(HeldActions.NONE);
    assertThat(NIGHTLY.at(at("2026-12-05T03:59:59.999Z"))).isEqualTo(HeldActions.NONE);
  }

  @Test
  void outsideAWindowItsActionsAreHeldUntilItOpensNext() {
    assertThat(NIGHTLY.at(at("2026-12-05T04:00:00Z")).until())
        .isEqualTo(heldUntil(at("2026-12-06T02:00:00Z"), DISRUPTIVE));
    assertThat(NIGHTLY.at(at("2026-12-05T01:59:59.500Z")).until())
        .isEqualTo(heldUntil(at("2026-12-05T02:00:00Z"), DISRUPTIVE));
  }

  @Test
  void actionsNoWindowNamesAreNeverHeld() {
    HeldActions held =
        new MaintenanceWindows(
                List.of(window("0 0 2 * * ?", ZoneOffset.UTC, Duration.ofHours(2), "restart")))
            .at(at("2026-12-05T12:00:00Z"));

    assertThat(held.holds(ActionClass.RESTART)).isTrue();
    for (ActionClass action : ActionClass.values()) {
      if (action != ActionClass.RESTART) {
        assertThat(held.holds(action)).as(action.label()).isFalse();
        assertThat(held.until(action)).as(action.label()).isEmpty();
      }
    }
    assertThat(new MaintenanceWindows(List.of()).at(at("2026-12-05T12:00:00Z")))
        .isEqualTo(HeldActions.NONE);
  }

  @Test
  void aWindowOpensAtItsLocalTimeAndStaysOpenAcrossMidnight() {
    // 23:00 in Berlin for three hours: 22:00Z to 01:00Z in winter.
    MaintenanceWindows late =
        new MaintenanceWindows(
            List.of(window("0 0 23 * * ?", BERLIN, Duration.ofHours(3), "restart")));

    assertThat(late.at(at("2026-01-15T21:59:59Z")).until(ActionClass.RESTART))
        .contains(at("2026-01-15T22:00:00Z"));
    assertThat(late.at(at("2026-01-15T23:30:00Z")).holds(ActionClass.RESTART)).isFalse();
    assertThat(late.at(at("2026-01-16T00:59:59Z")).holds(ActionClass.RESTART)).isFalse();
    assertThat(late.at(at("2026-01-16T01:00:00Z")).until(ActionClass.RESTART))
        .contains(at("2026-01-16T22:00:00Z"));
  }

  @Test
  void aWindowFollowsItsTimeZoneAcrossDaylightSavingAndLastsItsDurationInRealTime() {
    // 01:00 in Berlin for three hours.
    MaintenanceWindows night =
        new MaintenanceWindows(
            List.of(window("0 0 1 * * ?", BERLIN, Duration.ofHours(3), "restart")));

    // Spring forward on 29 March 2026 at 02:00 CET: the window opened at 01:00 CET (00:00Z) and
    // closes three real hours later, at 05:00 CEST (03:00Z).
    assertThat(night.at(at("2026-03-29T02:59:59Z")).holds(ActionClass.RESTART)).isFalse();
    assertThat(night.at(at("2026-03-29T03:00:00Z")).until(ActionClass.RESTART))
        .contains(at("2026-03-29T23:00:00Z"));
    // Fall back on 25 October 2026 at 03:00 CEST: it opened at 01:00 CEST (23:00Z the day
    // before), and the next opening is at 01:00 CET, 25 hours later.
    assertThat(night.at(at("2026-10-24T23:00:00Z")).holds(ActionClass.RESTART)).isFalse();
    assertThat(night.at(at("2026-10-25T02:00:00Z")).until(ActionClass.RESTART))
        .contains(at("2026-10-26T00:00:00Z"));
  }

  @Test
  void aWindowLongerThanItsCronPeriodIsOpenFromAnyFiringItCovers() {
    // Mondays and Wednesdays at 00:00 UTC for three days: open Monday to Saturday 00:00.
    MaintenanceWindows week =
        new MaintenanceWindows(
            List.of(window("0 0 0 ? * MON,WED", ZoneOffset.UTC, Duration.ofDays(3), "restart")));

    assertThat(week.at(at("2026-12-08T12:00:00Z")).holds(ActionClass.RESTART)).isFalse(); // Tue
    assertThat(week.at(at("2026-12-11T23:59:59Z")).holds(ActionClass.RESTART)).isFalse(); // Fri
    assertThat(week.at(at("2026-12-12T00:00:00Z")).until(ActionClass.RESTART)) // Sat
        .contains(at("2026-12-14T00:00:00Z"));
    // Hourly for 90 minutes: always open.
    MaintenanceWindows always =
        new MaintenanceWindows(
            List.of(window("0 0 * * * ?", ZoneOffset.UTC, Duration.ofMinutes(90), "restart")));
    for (int minute = 0; minute < 24 * 60; minute += 7) {
      Instant t = at("2026-12-05T00:00:00Z").plus(Duration.ofMinutes(minute));
      assertThat(always.at(t)).as(t.toString()).isEqualTo(HeldActions.NONE);
    }
  }

  @Test
  void anActionRunsWhileAnyWindowNamingItIsOpenAndOtherwiseWaitsForTheEarliestOpening() {
    // Nightly at 02:00 UTC for restarts and removals; Sundays at 12:00 UTC for restarts only.
    MaintenanceWindows windows =
        new MaintenanceWindows(
            List.of(
                window("0 0 2 * * ?", ZoneOffset.UTC, Duration.ofHours(2), "restart", "remove"),
                window("0 0 12 ? * SUN", ZoneOffset.UTC, Duration.ofHours(4), "restart")));

    HeldActions sunday = windows.at(at("2026-12-06T13:00:00Z"));
    assertThat(sunday.holds(ActionClass.RESTART)).isFalse();
    assertThat(sunday.until()).isEqualTo(Map.of(ActionClass.REMOVE, at("2026-12-07T02:00:00Z")));

    HeldActions saturday = windows.at(at("2026-12-05T10:00:00Z"));
    assertThat(saturday.until())
        .isEqualTo(
            Map.of(
                ActionClass.RESTART, at("2026-12-06T02:00:00Z"),
                ActionClass.REMOVE, at("2026-12-06T02:00:00Z")));
    HeldActions sundayAfterNight = windows.at(at("2026-12-06T05:00:00Z"));
    assertThat(sundayAfterNight.until(ActionClass.RESTART)).contains(at("2026-12-06T12:00:00Z"));
    assertThat(sundayAfterNight.until(ActionClass.REMOVE)).contains(at("2026-12-07T02:00:00Z"));
  }

  @Test
  void aWindowThatNeverOpensAgainHoldsForever() {
    MaintenanceWindows past =
        new MaintenanceWindows(
            List.of(window("0 0 2 1 1 ? 2020", ZoneOffset.UTC, Duration.ofHours(2), "restart")));

    assertThat(past.at(at("2026-12-05T12:00:00Z")).until(ActionClass.RESTART))
        .contains(HeldActions.NEVER);
  }

  @Test
  void aBadCronOrAnActionThatIsNoPlanClassIsRefusedWithItsName() {
    assertThatThrownBy(
            () ->
                new MaintenanceWindows(
                    List.of(window("0 0 25 * * ?", ZoneOffset.UTC, Duration.ofHours(1)))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("maintenance window cron \"0 0 25 * * ?\": ");
    assertThatThrownBy(
            () ->
                new MaintenanceWindows(
                    List.of(window("0 0 2 * * ?", ZoneOffset.UTC, Duration.ofHours(1), "reboot"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maintenance window \"0 0 2 * * ?\" names reboot, not a plan class");
  }
}
