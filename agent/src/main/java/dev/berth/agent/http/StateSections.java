package dev.berth.agent.http;

import dev.berth.agent.status.AgentStatus;
import dev.berth.agent.status.Condition;
import dev.berth.agent.status.ContainerStatus;
import dev.berth.agent.status.RolloutStatus;
import dev.berth.agent.status.SourceStatus;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The status page's sections of where the host stands now: the agent, its containers with their
 * conditions, the Git source and the rollout.
 */
final class StateSections {
  private StateSections() {}

  static void summary(StringBuilder out, AgentStatus status, Instant now) {
    out.append("<header>\n<h1>berth · ").append(Html.escape(status.host())).append("</h1>\n");
    out.append("<p>")
        .append(
            PageValues.badge(
                status.ready() ? "Ready" : "Not ready", status.ready() ? "ok" : "warn"));
    if (status.suspended()) {
      out.append(' ').append(PageValues.badge("Suspended", "warn"));
    }
    out.append(" <span class=\"meta\">agent ")
        .append(Html.escape(status.version()))
        .append(" · as of ")
        .append(PageValues.time(now, now))
        .append(", reloads every ")
        .append(StatusPage.REFRESH_SECONDS)
        .append(" s</span></p>\n<dl>\n");
    PageValues.term(out, "applied", PageValues.revision(status.lastAppliedRevision()));
    if (!Objects.equals(status.lastAttemptedRevision(), status.lastAppliedRevision())) {
      PageValues.term(out, "attempted", PageValues.revision(status.lastAttemptedRevision()));
    }
    out.append("</dl>\n");
    if (!status.errors().isEmpty()) {
      out.append("<ul>\n");
      for (String error : status.errors()) {
        out.append("<li>").append(PageValues.badge("error", "bad")).append(' ');
        out.append(Html.escape(error)).append("</li>\n");
      }
      out.append("</ul>\n");
    }
    out.append("</header>\n");
  }

  static void containers(StringBuilder out, List<ContainerStatus> containers) {
    out.append("<section id=\"containers\">\n<h2>Containers (")
        .append(containers.size())
        .append(")</h2>\n");
    if (containers.isEmpty()) {
      out.append("<p class=\"dim\">No containers on this host.</p>\n");
    }
    for (ContainerStatus container : containers) {
      out.append("<article class=\"card\">\n<h3>")
          .append(Html.escape(container.name()))
          .append(' ')
          .append(PageValues.badge(container.phase(), PageValues.tone(container.phase())));
      if (container.drifted()) {
        out.append(' ').append(PageValues.badge("Drifted", "warn"));
      }
      if (container.suspended()) {
        out.append(' ').append(PageValues.badge("Suspended", "warn"));
      }
      out.append("</h3>\n<dl>\n");
      PageValues.term(out, "revision", PageValues.revision(container.lastAppliedRevision()));
      if (!Objects.equals(container.lastAttemptedRevision(), container.lastAppliedRevision())) {
        PageValues.term(out, "attempted", PageValues.revision(container.lastAttemptedRevision()));
      }
      if (container.lastError() != null) {
        PageValues.term(out, "last error", Html.escape(container.lastError()));
      }
      out.append("</dl>\n");
      conditions(out, container.conditions());
      out.append("</article>\n");
    }
    out.append("</section>\n");
  }

  static void conditions(StringBuilder out, List<Condition> conditions) {
    if (conditions.isEmpty()) {
      return;
    }
    out.append("<ul>\n");
    for (Condition condition : conditions) {
      out.append("<li>").append(condition(condition)).append("</li>\n");
    }
    out.append("</ul>\n");
  }

  /** {@code Ready True ReconciliationSucceeded: message}: the condition as kubectl shows it. */
  private static String condition(Condition condition) {
    boolean ready = condition.type().equals("Ready");
    String tone = condition.status() == ready ? "ok" : "warn";
    StringBuilder line =
        new StringBuilder("<b>")
            .append(Html.escape(condition.type()))
            .append("</b> ")
            .append(PageValues.badge(condition.status() ? "True" : "False", tone));
    if (condition.reason() != null) {
      line.append(" <code>").append(Html.escape(condition.reason())).append("</code>");
    }
    if (condition.message() != null && !condition.message().isEmpty()) {
      line.append(": ").append(Html.escape(condition.message()));
    }
    return line.toString();
  }

  static void source(StringBuilder out, SourceStatus source, Instant now) {
    out.append("<section id=\"source\">\n<h2>Source</h2>\n<dl>\n");
    PageValues.term(out, "url", "<code>" + Html.escape(source.url()) + "</code>");
    PageValues.term(out, "ref", Html.escape(source.ref()));
    PageValues.term(out, "fetched", PageValues.revision(source.fetchedRevision()));
    PageValues.term(out, "verified", PageValues.revision(source.verifiedRevision()));
    if (source.servedBy() != null && !source.servedBy().equals(source.url())) {
      PageValues.term(out, "served by", "<code>" + Html.escape(source.servedBy()) + "</code>");
    }
    PageValues.term(out, "last fetch", PageValues.time(source.lastSuccessfulFetch(), now));
    PageValues.term(out, "last attempt", PageValues.time(source.lastFetchAttempt(), now));
    if (source.lastError() != null) {
      String reason =
          source.lastErrorReason() == null
              ? ""
              : "<code>" + Html.escape(source.lastErrorReason()) + "</code>: ";
      PageValues.term(out, "last error", reason + Html.escape(source.lastError()));
    }
    out.append("</dl>\n</section>\n");
  }

  static void rollout(StringBuilder out, RolloutStatus rollout, Instant now) {
    out.append("<section id=\"rollout\">\n<h2>Rollout</h2>\n");
    if (rollout == null) {
      out.append("<p class=\"dim\">The repository has no Rollout: each revision applies here")
          .append(" as soon as it is fetched.</p>\n</section>\n");
      return;
    }
    out.append("<dl>\n");
    PageValues.term(out, "wave", Html.escape(rollout.wave()));
    PageValues.term(out, "newest", PageValues.revision(rollout.revision()));
    Condition held = rollout.held();
    if (held != null) {
      String state =
          held.status() ? PageValues.badge("Held", "warn") : PageValues.badge("Not held", "ok");
      String reason =
          held.reason() == null ? "" : " <code>" + Html.escape(held.reason()) + "</code>";
      String message =
          held.message() == null || held.message().isEmpty()
              ? ""
              : ": " + Html.escape(held.message());
      PageValues.term(out, "held", state + reason + message);
      PageValues.term(out, "since", PageValues.time(held.lastTransitionTime(), now));
    }
    out.append("</dl>\n</section>\n");
  }
}
