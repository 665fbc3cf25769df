package dev.berth.agent.http;

import dev.berth.agent.events.AgentEvent;
import dev.berth.agent.events.EventJournal;
import dev.berth.agent.status.AgentStatus;
import dev.berth.agent.status.Condition;
import dev.berth.agent.status.ContainerStatus;
import dev.berth.agent.status.PassRecord;
import dev.berth.agent.status.RolloutStatus;
import dev.berth.agent.status.SourceStatus;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The read-only status page of {@code /ui}: the status document and the events as one HTML page for
 * a person, readable on a phone. Server-rendered, with inline CSS and no script; every value is
 * escaped ({@link Html}), and the headers forbid loading anything else, framing and sniffing.
 */
final class StatusPage {
  /** How often the browser reloads the page ({@code <meta http-equiv="refresh">}, no script). */
  static final int REFRESH_SECONDS = 10;

  static final int PASSES_SHOWN = 10;
  static final int EVENTS_SHOWN = 50;

  static final String CONTENT_TYPE = "text/html; charset=utf-8";

  /**
   * The page's own inline style and nothing else: no script, image, font or connection; a meta
   * refresh needs no permission.
   */
  static final String CONTENT_SECURITY_POLICY =
      "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none';"
          + " frame-ancestors 'none'";

  private static final Map<String, String> HEADERS =
      Map.of(
          "Content-Security-Policy", CONTENT_SECURITY_POLICY,
          "Referrer-Policy", "no-referrer",
          "X-Frame-Options", "DENY");

  private static final int SHORT_REVISION = 7;

  private static final Set<String> GOOD = Set.of("Running", "success", "applied", "driftHealed");
  private static final Set<String> BAD =
      Set.of(
          "Failed",
          "Blocked",
          "failed",
          "error",
          "invalid",
          "refused",
          "signatureRefused",
          "rolledBack");

  private static final String STYLE =
      """
      *{box-sizing:border-box}
      :root{color-scheme:light dark}
      body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0 auto;\
      padding:12px;max-width:60rem;overflow-wrap:anywhere}
      h1{font-size:1.35rem;margin:.2rem 0}
      h2{font-size:1.1rem;margin:1.4rem 0 .4rem;padding-bottom:.2rem;border-bottom:1px solid #8886}
      h3{font-size:1rem;margin:0 0 .3rem}
      p{margin:.3rem 0}
      .meta,dt,.dim{color:#777}
      .card{border:1px solid #8886;border-radius:6px;padding:.5rem .7rem;margin:.5rem 0}
      dl{display:grid;grid-template-columns:max-content minmax(0,1fr);gap:.1rem .8rem;margin:.3rem 0}
      dd{margin:0}
      ul,ol{margin:.3rem 0;padding-left:1.2rem}
      li{margin:.15rem 0}
      .list{list-style:none;padding:0}
      .list>li{border-top:1px solid #8884;padding:.35rem 0}
      code{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:.9em}
      .badge{display:inline-block;padding:0 .4rem;border-radius:4px;font-size:.85em;\
      font-weight:600;white-space:nowrap}
      .ok{background:#2da44e33}.bad{background:#cf222e40}.warn{background:#d4a72c40}
      """;

  private final Clock clock;

  StatusPage(Clock clock) {
    this.clock = clock;
  }

  /**
   * The page of {@code status} and {@code events}; 503 with a short page while the agent starts.
   */
  Reply answer(AgentStatus status, EventJournal.Page events) {
    return status == null ? reply(503, starting()) : reply(200, render(status, events));
  }

  private static Reply reply(int code, String html) {
    return new Reply(code, CONTENT_TYPE, html.getBytes(StandardCharsets.UTF_8), HEADERS);
  }

  String starting() {
    StringBuilder out = new StringBuilder();
    head(out, "berth");
    out.append("<h1>berth</h1>\n<p>No status yet: the agent is starting.</p>\n");
    return foot(out);
  }

  String render(AgentStatus status, EventJournal.Page events) {
    Instant now = clock.instant();
    StringBuilder out = new StringBuilder(16 * 1024);
    head(out, "berth · " + status.host());
    summary(out, status, now);
    containers(out, status.containers());
    source(out, status.source(), now);
    rollout(out, status.rollout(), now);
    passes(out, status.passes(), now);
    events(out, events, now);
    return foot(out);
  }

  private static void head(StringBuilder out, String title) {
    out.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        .append("<meta http-equiv=\"refresh\" content=\"")
        .append(REFRESH_SECONDS)
        .append("\">\n<meta name=\"referrer\" content=\"no-referrer\">\n<title>")
        .append(Html.escape(title))
        .append("</title>\n<style>\n")
        .append(STYLE)
        .append("</style>\n</head>\n<body>\n");
  }

  private static String foot(StringBuilder out) {
    return out.append("</body>\n</html>\n").toString();
  }

  private static void summary(StringBuilder out, AgentStatus status, Instant now) {
    out.append("<header>\n<h1>berth · ").append(Html.escape(status.host())).append("</h1>\n");
    out.append("<p>")
        .append(badge(status.ready() ? "Ready" : "Not ready", status.ready() ? "ok" : "warn"));
    if (status.suspended()) {
      out.append(' ').append(badge("Suspended", "warn"));
    }
    out.append(" <span class=\"meta\">agent ")
        .append(Html.escape(status.version()))
        .append(" · as of ")
        .append(time(now, now))
        .append(", reloads every ")
        .append(REFRESH_SECONDS)
        .append(" s</span></p>\n<dl>\n");
    term(out, "applied", revision(status.lastAppliedRevision()));
    if (!Objects.equals(status.lastAttemptedRevision(), status.lastAppliedRevision())) {
      term(out, "attempted", revision(status.lastAttemptedRevision()));
    }
    out.append("</dl>\n");
    if (!status.errors().isEmpty()) {
      out.append("<ul>\n");
      for (String error : status.errors()) {
        out.append("<li>").append(badge("error", "bad")).append(' ');
        out.append(Html.escape(error)).append("</li>\n");
      }
      out.append("</ul>\n");
    }
    out.append("</header>\n");
  }

  private static void containers(StringBuilder out, List<ContainerStatus> containers) {
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
          .append(badge(container.phase(), tone(container.phase())));
      if (container.drifted()) {
        out.append(' ').append(badge("Drifted", "warn"));
      }
      if (container.suspended()) {
        out.append(' ').append(badge("Suspended", "warn"));
      }
      out.append("</h3>\n<dl>\n");
      term(out, "revision", revision(container.lastAppliedRevision()));
      if (!Objects.equals(container.lastAttemptedRevision(), container.lastAppliedRevision())) {
        term(out, "attempted", revision(container.lastAttemptedRevision()));
      }
      if (container.lastError() != null) {
        term(out, "last error", Html.escape(container.lastError()));
      }
      out.append("</dl>\n");
      conditions(out, container.conditions());
      out.append("</article>\n");
    }
    out.append("</section>\n");
  }

  private static void conditions(StringBuilder out, List<Condition> conditions) {
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
            .append(badge(condition.status() ? "True" : "False", tone));
    if (condition.reason() != null) {
      line.append(" <code>").append(Html.escape(condition.reason())).append("</code>");
    }
    if (condition.message() != null && !condition.message().isEmpty()) {
      line.append(": ").append(Html.escape(condition.message()));
    }
    return line.toString();
  }

  private static void source(StringBuilder out, SourceStatus source, Instant now) {
    out.append("<section id=\"source\">\n<h2>Source</h2>\n<dl>\n");
    term(out, "url", "<code>" + Html.escape(source.url()) + "</code>");
    term(out, "ref", Html.escape(source.ref()));
    term(out, "fetched", revision(source.fetchedRevision()));
    term(out, "verified", revision(source.verifiedRevision()));
    if (source.servedBy() != null && !source.servedBy().equals(source.url())) {
      term(out, "served by", "<code>" + Html.escape(source.servedBy()) + "</code>");
    }
    term(out, "last fetch", time(source.lastSuccessfulFetch(), now));
    term(out, "last attempt", time(source.lastFetchAttempt(), now));
    if (source.lastError() != null) {
      String reason =
          source.lastErrorReason() == null
              ? ""
              : "<code>" + Html.escape(source.lastErrorReason()) + "</code>: ";
      term(out, "last error", reason + Html.escape(source.lastError()));
    }
    out.append("</dl>\n</section>\n");
  }

  private static void rollout(StringBuilder out, RolloutStatus rollout, Instant now) {
    out.append("<section id=\"rollout\">\n<h2>Rollout</h2>\n");
    if (rollout == null) {
      out.append("<p class=\"dim\">The repository has no Rollout: each revision applies here")
          .append(" as soon as it is fetched.</p>\n</section>\n");
      return;
    }
    out.append("<dl>\n");
    term(out, "wave", Html.escape(rollout.wave()));
    term(out, "newest", revision(rollout.revision()));
    Condition held = rollout.held();
    if (held != null) {
      String state = held.status() ? badge("Held", "warn") : badge("Not held", "ok");
      String reason =
          held.reason() == null ? "" : " <code>" + Html.escape(held.reason()) + "</code>";
      String message =
          held.message() == null || held.message().isEmpty()
              ? ""
              : ": " + Html.escape(held.message());
      term(out, "held", state + reason + message);
      term(out, "since", time(held.lastTransitionTime(), now));
    }
    out.append("</dl>\n</section>\n");
  }

  private static void passes(StringBuilder out, List<PassRecord> passes, Instant now) {
    out.append("<section id=\"passes\">\n<h2>Last passes</h2>\n");
    if (passes.isEmpty()) {
      out.append("<p class=\"dim\">No pass yet.</p>\n");
    }
    out.append("<ol class=\"list\">\n");
    // The status lists the newest pass first.
    for (PassRecord pass : passes.subList(0, Math.min(PASSES_SHOWN, passes.size()))) {
      out.append("<li>")
          .append(badge(pass.result(), tone(pass.result())))
          .append(' ')
          .append(time(pass.started(), now))
          .append(" <span class=\"dim\">")
          .append(Html.escape(pass.trigger()))
          .append(" · ")
          .append(took(pass.duration()))
          .append("</span> ")
          .append(revision(pass.revision()));
      if (pass.actions().isEmpty()) {
        out.append("<br><span class=\"dim\">no actions</span>");
      } else {
        out.append("\n<ul>\n");
        for (String action : pass.actions()) {
          out.append("<li>").append(Html.escape(action)).append("</li>\n");
        }
        out.append("</ul>\n");
      }
      out.append("</li>\n");
    }
    out.append("</ol>\n</section>\n");
  }

  private static void events(StringBuilder out, EventJournal.Page page, Instant now) {
    out.append("<section id=\"events\">\n<h2>Events</h2>\n");
    List<AgentEvent> newestFirst = new ArrayList<>(page.events());
    Collections.reverse(newestFirst);
    List<AgentEvent> shown = newestFirst.subList(0, Math.min(EVENTS_SHOWN, newestFirst.size()));
    out.append("<p class=\"dim\">");
    if (shown.isEmpty()) {
      out.append("No events yet.");
    } else {
      out.append("The newest ").append(shown.size()).append(" of ").append(page.latest());
      out.append(", newest first; <code>berth events</code> lists the agent's last ")
          .append(EventJournal.DEFAULT_CAPACITY)
          .append('.');
    }
    out.append("</p>\n<ol class=\"list\">\n");
    for (AgentEvent event : shown) {
      String type = event.type().label();
      out.append("<li>")
          .append(badge(type, tone(type)))
          .append(' ')
          .append(time(event.time(), now))
          .append(' ')
          .append(
              event.container() == null
                  ? "<span class=\"dim\">host</span>"
                  : "<b>" + Html.escape(event.container()) + "</b>")
          .append(' ')
          .append(revision(event.revision()))
          .append("<br>")
          .append(Html.escape(event.message()))
          .append("</li>\n");
    }
    out.append("</ol>\n</section>\n");
  }

  private static void term(StringBuilder out, String name, String html) {
    out.append("<dt>").append(Html.escape(name)).append("</dt><dd>").append(html);
    out.append("</dd>\n");
  }

  private static String badge(String text, String tone) {
    return "<span class=\"badge " + tone + "\">" + Html.escape(text) + "</span>";
  }

  /** The colour of a phase, a pass's result or an event's type: one decision for the page. */
  private static String tone(String word) {
    if (GOOD.contains(word)) {
      return "ok";
    }
    return BAD.contains(word) ? "bad" : "warn";
  }

  /** A revision as Git abbreviates it, the whole of it in the tooltip; a dash for none. */
  private static String revision(String revision) {
    if (revision == null || revision.isEmpty()) {
      return "<span class=\"dim\">-</span>";
    }
    String shown =
        revision.length() > SHORT_REVISION ? revision.substring(0, SHORT_REVISION) : revision;
    return "<code title=\"" + Html.escape(revision) + "\">" + Html.escape(shown) + "</code>";
  }

  /** {@code 2026-12-02 10:00:00Z (3m ago)}; a dash for never. */
  private static String time(Instant time, Instant now) {
    if (time == null) {
      return "<span class=\"dim\">never</span>";
    }
    String iso = time.truncatedTo(ChronoUnit.SECONDS).toString();
    StringBuilder html =
        new StringBuilder("<time datetime=\"")
            .append(Html.escape(iso))
            .append("\">")
            .append(Html.escape(iso.replace('T', ' ')))
            .append("</time>");
    Duration age = Duration.between(time, now);
    if (!age.isNegative() && age.compareTo(Duration.ofSeconds(1)) >= 0) {
      html.append(" <span class=\"dim\">(").append(age(age)).append(" ago)</span>");
    }
    return html.toString();
  }

  private static String age(Duration age) {
    if (age.toMinutes() < 1) {
      return age.toSeconds() + "s";
    }
    if (age.toHours() < 1) {
      return age.toMinutes() + "m";
    }
    return age.toDays() < 1 ? age.toHours() + "h" : age.toDays() + "d";
  }

  private static String took(Duration duration) {
    if (duration == null) {
      return "-";
    }
    long millis = duration.toMillis();
    return millis < 1000 ? millis + " ms" : String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
  }
}
