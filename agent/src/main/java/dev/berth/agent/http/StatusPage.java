package dev.berth.agent.http;

import dev.berth.agent.events.EventJournal;
import dev.berth.agent.status.AgentStatus;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;

/**
 * The read-only status page of {@code /ui}: the status document and the events as one HTML page for
 * a person, readable on a phone. Server-rendered, with inline CSS and no script; every value is
 * escaped ({@link Html}), and the headers forbid loading anything else, framing and sniffing.
 */
final class StatusPage {
  /** How often the browser reloads the page ({@code <meta http-equiv="refresh">}, no script). */
  static final int REFRESH_SECONDS = 10;

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
    StateSections.summary(out, status, now);
    StateSections.containers(out, status.containers());
    StateSections.source(out, status.source(), now);
    StateSections.rollout(out, status.rollout(), now);
    HistorySections.passes(out, status.passes(), now);
    HistorySections.events(out, events, now);
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
}
