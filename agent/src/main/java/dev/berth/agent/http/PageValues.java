package dev.berth.agent.http;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Set;

/**
 * One value of the status page as HTML, escaped: a badge and its colour, a revision, a time with
 * its age, a duration, a term of a definition list.
 */
final class PageValues {
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

  private PageValues() {}

  static void term(StringBuilder out, String name, String html) {
    out.append("<dt>").append(Html.escape(name)).append("</dt><dd>").append(html);
    out.append("</dd>\n");
  }

  static String badge(String text, String tone) {
    return "<span class=\"badge " + tone + "\">" + Html.escape(text) + "</span>";
  }

  /** The colour of a phase, a pass's result or an event's type: one decision for the page. */
  static String tone(String word) {
    if (GOOD.contains(word)) {
      return "ok";
    }
    return BAD.contains(word) ? "bad" : "warn";
  }

  /** A revision as Git abbreviates it, the whole of it in the tooltip; a dash for none. */
  static String revision(String revision) {
    if (revision == null || revision.isEmpty()) {
      return "<span class=\"dim\">-</span>";
    }
    String shown =
        revision.length() > SHORT_REVISION ? revision.substring(0, SHORT_REVISION) : revision;
    return "<code title=\"" + Html.escape(revision) + "\">" + Html.escape(shown) + "</code>";
  }

  /** {@code 2026-12-02 10:00:00Z (3m ago)}; a dash for never. */
  static String time(Instant time, Instant now) {
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

  static String took(Duration duration) {
    if (duration == null) {
      return "-";
    }
    long millis = duration.toMillis();
    return millis < 1000 ? millis + " ms" : String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
  }
}
