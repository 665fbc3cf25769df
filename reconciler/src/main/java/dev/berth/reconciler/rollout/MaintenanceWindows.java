package dev.berth.reconciler.rollout;

import dev.berth.reconciler.model.RolloutSpec.MaintenanceWindow;
import dev.berth.reconciler.pass.HeldActions;
import dev.berth.reconciler.plan.ActionClass;
import java.text.ParseException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TimeZone;
import org.quartz.CronExpression;

/**
 * The Rollout's maintenance windows, as the plan classes they hold at a time: a class that some
 * window names runs only while one of the windows that name it is open. Evaluated once per pass.
 */
public final class MaintenanceWindows {
  private final List<Window> windows = new ArrayList<>();

  /** One window: its cron in its time zone, how long it stays open, and the classes it names. */
  private record Window(CronExpression cron, MaintenanceWindow spec, Set<ActionClass> actions) {
    /** Open at t: some firing f of the cron has f ≤ t < f + duration. */
    boolean isOpen(Instant t) {
      Date first = cron.getTimeAfter(Date.from(t.minus(spec.duration())));
      return first != null && !first.toInstant().isAfter(t);
    }

    /** The first firing after t, or {@link HeldActions#NEVER}. */
    Instant nextOpening(Instant t) {
      Date next = cron.getTimeAfter(Date.from(t));
      return next == null ? HeldActions.NEVER : next.toInstant();
    }
  }

  public MaintenanceWindows(List<MaintenanceWindow> windows) {
    for (MaintenanceWindow window : windows) {
      this.windows.add(new Window(cron(window), window, classes(window)));
    }
  }

  /**
   * Which plan classes are held at now (those named by some window none of whose windows naming
   * them is open), and until when (the earliest next opening of a window that would let each go).
   */
  public HeldActions at(Instant now) {
    Set<ActionClass> open = EnumSet.noneOf(ActionClass.class);
    Map<ActionClass, Instant> until = new EnumMap<>(ActionClass.class);
    for (Window window : windows) {
      if (window.isOpen(now)) {
        open.addAll(window.actions());
        continue;
      }
      Instant opens = window.nextOpening(now);
      for (ActionClass action : window.actions()) {
        until.merge(action, opens, (a, b) -> a.isBefore(b) ? a : b);
      }
    }
    until.keySet().removeAll(open);
    return until.isEmpty() ? HeldActions.NONE : new HeldActions(until);
  }

  private static CronExpression cron(MaintenanceWindow window) {
    try {
      CronExpression cron = new CronExpression(window.cron());
      cron.setTimeZone(TimeZone.getTimeZone(window.timeZone()));
      return cron;
    } catch (ParseException e) {
      throw new IllegalArgumentException(
          "maintenance window cron \"" + window.cron() + "\": " + e.getMessage(), e);
    }
  }

  private static Set<ActionClass> classes(MaintenanceWindow window) {
    Set<ActionClass> classes = EnumSet.noneOf(ActionClass.class);
    for (String label : window.actions()) {
      try {
        classes.add(ActionClass.valueOf(label.toUpperCase(Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "maintenance window \"" + window.cron() + "\" names " + label + ", not a plan class",
            e);
      }
    }
    return classes;
  }
}
