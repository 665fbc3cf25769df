package dev.berth.agent.http;

import dev.berth.agent.events.AgentEvent;
import dev.berth.agent.events.EventJournal;
import dev.berth.agent.status.PassRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** The status page's sections of what happened: the last passes and the newest events. */
final class HistorySections {
  static final int PASSES_SHOWN = 10;
  static final int EVENTS_SHOWN = 50;

  private HistorySections() {}

  static void passes(StringBuilder out, List<PassRecord> passes, Instant now) {
    out.append("<section id=\"passes\">\n<h2>Last passes</h2>\n");
    if (passes.isEmpty()) {
      out.append("<p class=\"dim\">No pass yet.</p>\n");
    }
    out.append("<ol class=\"list\">\n");
    // The status lists the newest pass first.
    for (PassRecord pass : passes.subList(0, Math.min(PASSES_SHOWN, passes.size()))) {
      out.append("<li>")
          .append(PageValues.badge(pass.result(), PageValues.tone(pass.result())))
          .append(' ')
          .append(PageValues.time(pass.started(), now))
          .append(" <span class=\"dim\">")
          .append(Html.escape(pass.trigger()))
          .append(" · ")
          .append(PageValues.took(pass.duration()))
          .append("</span> ")
          .append(PageValues.revision(pass.revision()));
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

  static void events(StringBuilder out, EventJournal.Page page, Instant now) {
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
          .append(PageValues.badge(type, PageValues.tone(type)))
          .append(' ')
          .append(PageValues.time(event.time(), now))
          .append(' ')
          .append(
              event.container() == null
                  ? "<span class=\"dim\">host</span>"
                  : "<b>" + Html.escape(event.container()) + "</b>")
          .append(' ')
          .append(PageValues.revision(event.revision()))
          .append("<br>")
          .append(Html.escape(event.message()))
          .append("</li>\n");
    }
    out.append("</ol>\n</section>\n");
  }
}
