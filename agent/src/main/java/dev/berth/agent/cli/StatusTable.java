package dev.berth.agent.cli;

import dev.berth.agent.status.AgentStatus;
import dev.berth.agent.status.Condition;
import dev.berth.agent.status.ContainerStatus;
import dev.berth.agent.status.PassRecord;
import dev.berth.agent.status.RolloutStatus;
import dev.berth.agent.status.SourceStatus;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import picocli.CommandLine.Help.Ansi.Style;

/**
 * {@code berth status} for a person, as {@code kubectl get} and {@code flux get} show theirs: one
 * row per container (phase, ready, revision, the age of its last transition, message), then the
 * source and the agent. Pure: the time and whether to colour are given.
 */
final class StatusTable {
  private static final int PHASE = 1;
  private static final int READY = 2;

  private final Instant now;
  private final boolean colour;

  /**
   * @param now the time the ages are measured to
   * @param colour whether the phase and readiness carry a terminal's colour codes
   */
  StatusTable(Instant now, boolean colour) {
    this.now = now;
    this.colour = colour;
  }

  String render(AgentStatus status) {
    StringWriter text = new StringWriter();
    PrintWriter out = new PrintWriter(text);
    containers(status.containers() == null ? List.of() : status.containers(), out);
    out.println();
    source(status.source(), out);
    agent(status, out);
    out.flush();
    return text.toString();
  }

  private void containers(List<ContainerStatus> containers, PrintWriter out) {
    if (containers.isEmpty()) {
      out.println("no containers on this host");
      return;
    }
    TextTable table = new TextTable("CONTAINER", "PHASE", "READY", "REVISION", "AGE", "MESSAGE");
    for (ContainerStatus container : containers) {
      Optional<Condition> ready = condition(container, "Ready");
      table.row(
          container.name(),
          orDash(container.phase()),
          ready.map(condition -> condition.status() ? "True" : "False").orElse("-"),
          TextTable.revision(container.lastAppliedRevision()),
          lastTransition(container).map(this::age).orElse("-"),
          message(container, ready));
    }
    table.print(out, this::style);
  }

  private void source(SourceStatus source, PrintWriter out) {
    out.println("SOURCE");
    if (source == null) {
      out.println("  none reported");
      return;
    }
    field(
        out,
        "remote",
        orDash(source.url()) + (source.ref() == null ? "" : " (" + source.ref() + ")"));
    if (source.servedBy() != null && !source.servedBy().equals(source.url())) {
      // The primary failed over to a mirror.
      field(out, "served by", source.servedBy());
    }
    field(out, "revision", TextTable.revision(source.fetchedRevision()));
    field(out, "verified", TextTable.revision(source.verifiedRevision()));
    field(out, "fetched", when(source.lastSuccessfulFetch()));
    if (source.lastError() != null) {
      field(
          out,
          "error",
          (source.lastErrorReason() == null ? "" : source.lastErrorReason() + ": ")
              + TextTable.oneLine(source.lastError()));
    }
  }

  private void agent(AgentStatus status, PrintWriter out) {
    out.println("AGENT");
    field(out, "host", orDash(status.host()) + " (" + orDash(status.version()) + ")");
    field(out, "suspended", status.suspended() ? "yes" : "no");
    field(out, "held", held(status.rollout()));
    field(out, "last pass", lastPass(status.passes()));
    List<String> errors = status.errors() == null ? List.of() : status.errors();
    for (String error : errors) {
      // In full: FILE:LINE:COL: reason is what an operator goes to fix.
      field(out, "error", error);
    }
  }

  private static String held(RolloutStatus rollout) {
    if (rollout == null || rollout.held() == null || !rollout.held().status()) {
      return "no";
    }
    Condition held = rollout.held();
    String message = held.message() == null ? "" : ": " + TextTable.oneLine(held.message());
    return "yes, " + orDash(held.reason()) + message + " (wave " + orDash(rollout.wave()) + ")";
  }

  /** The newest pass: the agent lists them newest first. */
  private String lastPass(List<PassRecord> passes) {
    if (passes == null || passes.isEmpty()) {
      return "none yet";
    }
    PassRecord pass = passes.get(0);
    int actions = pass.actions() == null ? 0 : pass.actions().size();
    return orDash(pass.result())
        + " "
        + when(pass.started())
        + ", "
        + orDash(pass.trigger())
        + ", "
        + actions
        + (actions == 1 ? " action" : " actions");
  }

  private String when(Instant time) {
    return time == null
        ? "never"
        : age(time) + " ago (" + time.truncatedTo(ChronoUnit.SECONDS) + ")";
  }

  private static void field(PrintWriter out, String name, String value) {
    out.println("  " + name + ":" + " ".repeat(10 - name.length()) + value);
  }

  private static Optional<Condition> condition(ContainerStatus container, String type) {
    return container.conditions() == null
        ? Optional.empty()
        : container.conditions().stream().filter(c -> type.equals(c.type())).findFirst();
  }

  /** When the container's conditions last changed: its last transition of any kind. */
  private static Optional<Instant> lastTransition(ContainerStatus container) {
    return container.conditions() == null
        ? Optional.empty()
        : container.conditions().stream()
            .map(Condition::lastTransitionTime)
            .filter(Objects::nonNull)
            .max(Comparator.naturalOrder());
  }

  private static String message(ContainerStatus container, Optional<Condition> ready) {
    String message =
        ready.map(Condition::message).filter(text -> !text.isBlank()).orElse(container.lastError());
    return message == null ? "" : TextTable.oneLine(message);
  }

  private String age(Instant time) {
    return age(Duration.between(time, now));
  }

  /** A duration as {@code kubectl get} shows an age: {@code 45s}, {@code 3m}, {@code 5h}, 4d. */
  static String age(Duration age) {
    long seconds = Math.max(0, age.getSeconds());
    if (seconds < 120) {
      return seconds + "s";
    }
    long minutes = seconds / 60;
    if (minutes < 120) {
      return minutes + "m";
    }
    long hours = minutes / 60;
    return hours < 48 ? hours + "h" : hours / 24 + "d";
  }

  private String style(int column, String cell) {
    if (!colour || (column != PHASE && column != READY)) {
      return cell;
    }
    Style tint =
        switch (cell) {
          case "Running", "True" -> Style.fg_green;
          case "Failed", "Blocked", "False" -> Style.fg_red;
          case "Pending", "Stopped", "Suspended" -> Style.fg_yellow;
          default -> null;
        };
    return tint == null ? cell : tint.on() + cell + tint.off();
  }

  private static String orDash(String value) {
    return value == null || value.isEmpty() ? "-" : value;
  }
}
