package dev.berth.agent.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.agent.events.EventJournal;
import dev.berth.agent.events.EventType;
import dev.berth.agent.status.AgentStatus;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The page rendered from a status and an events document as the API serves them. */
class StatusPageTest {
  private static final String HOSTILE =
      "<script>alert('owned')</script><img src=x onerror=alert(1)>";
  private static final String REVISION = "0123456789abcdef0123456789abcdef01234567";
  private static final Instant NOW = Instant.parse("2026-12-02T10:05:00Z");

  /** What {@code GET /api/v1/status} answers, with a container whose error is markup. */
  private static final String STATUS =
      """
      {
        "host" : "host-a",
        "version" : "0.1.0",
        "suspended" : false,
        "ready" : true,
        "source" : {
          "url" : "https://git.example/fleet.git",
          "ref" : "main",
          "fetchedRevision" : "%1$s",
          "verifiedRevision" : "%1$s",
          "lastFetchAttempt" : "2026-12-02T10:04:30Z",
          "lastSuccessfulFetch" : "2026-12-02T10:04:30Z",
          "lastErrorReason" : null,
          "lastError" : null,
          "servedBy" : "https://mirror.example/fleet.git"
        },
        "lastAppliedRevision" : "%1$s",
        "lastAttemptedRevision" : "%1$s",
        "errors" : [ ],
        "containers" : [ {
          "name" : "web",
          "phase" : "Running",
          "conditions" : [ {
            "type" : "Ready",
            "status" : true,
            "reason" : "ReconciliationSucceeded",
            "message" : "running at 0123456",
            "lastTransitionTime" : "2026-12-02T10:00:00Z"
          } ],
          "lastAppliedRevision" : "%1$s",
          "lastAttemptedRevision" : "%1$s",
          "lastError" : null,
          "drifted" : false,
          "suspended" : false
        }, {
          "name" : "cache",
          "phase" : "Failed",
          "conditions" : [ {
            "type" : "Ready",
            "status" : false,
            "reason" : "ReconciliationFailed",
            "message" : %2$s,
            "lastTransitionTime" : "2026-12-02T10:01:00Z"
          }, {
            "type" : "Reconciling",
            "status" : true,
            "reason" : "BackingOff",
            "message" : "retry in 40s",
            "lastTransitionTime" : "2026-12-02T10:01:00Z"
          } ],
          "lastAppliedRevision" : null,
          "lastAttemptedRevision" : "%1$s",
          "lastError" : %2$s,
          "drifted" : true,
          "suspended" : false
        } ],
        "passes" : [ {
          "started" : "2026-12-02T10:01:00Z",
          "duration" : "PT1.5S",
          "cpu" : "PT0.2S",
          "revision" : "%1$s",
          "trigger" : "webhook",
          "result" : "failed",
          "actions" : [ "create web: converged", "create cache: failed" ]
        }, {
          "started" : "2026-12-02T09:00:00Z",
          "duration" : "PT0.25S",
          "cpu" : "PT0.01S",
          "revision" : "fedcba9876543210fedcba9876543210fedcba98",
          "trigger" : "startup",
          "result" : "success",
          "actions" : [ ]
        } ],
        "rollout" : {
          "wave" : "canary",
          "revision" : "%1$s",
          "held" : {
            "type" : "RolloutHeld",
            "status" : true,
            "reason" : "Soaking",
            "message" : "Soaking: 4m left",
            "lastTransitionTime" : "2026-12-02T10:03:00Z"
          }
        }
      }
      """
          .formatted(REVISION, json(HOSTILE));

  /** What {@code GET /api/v1/events} answers. */
  private static final String EVENTS =
      """
      {
        "latest" : 2,
        "dropped" : 0,
        "events" : [ {
          "sequence" : 1,
          "time" : "2026-12-02T10:01:00.123Z",
          "type" : "applied",
          "container" : "web",
          "revision" : "%1$s",
          "message" : "create: started it"
        }, {
          "sequence" : 2,
          "time" : "2026-12-02T10:01:01Z",
          "type" : "failed",
          "container" : "cache",
          "revision" : "%1$s",
          "message" : %2$s
        } ]
      }
      """
          .formatted(REVISION, json(HOSTILE));

  private final StatusPage page = new StatusPage(Clock.fixed(NOW, ZoneOffset.UTC));

  private static String json(String text) {
    return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  private String rendered() throws Exception {
    return page.render(StatusJson.read(STATUS), StatusJson.readEvents(EVENTS));
  }

  private static int count(String html, String regex) {
    Matcher matcher = Pattern.compile(regex).matcher(html);
    int found = 0;
    while (matcher.find()) {
      found++;
    }
    return found;
  }

  @Test
  void aHostileContainerMessageIsShownAsTextAndNeverAsMarkup() throws Exception {
    String html = rendered();

    String escaped =
        "&lt;script&gt;alert(&#39;owned&#39;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;";
    // The condition's message, the last error and the event's message.
    assertThat(count(html, Pattern.quote(escaped))).isEqualTo(3);
    assertThat(html).doesNotContainIgnoringCase("<script").doesNotContainIgnoringCase("<img");
    assertThat(html).doesNotContain("onerror=alert(1)>");
  }

  @Test
  void showsTheContainersWithTheirPhaseConditionsAndRevision() throws Exception {
    String html = rendered();

    assertThat(html)
        .contains("<h3>web <span class=\"badge ok\">Running</span></h3>")
        .contains(
            "<h3>cache <span class=\"badge bad\">Failed</span>"
                + " <span class=\"badge warn\">Drifted</span></h3>")
        .contains("<code>ReconciliationSucceeded</code>: running at 0123456")
        .contains("<b>Reconciling</b> <span class=\"badge warn\">True</span>")
        .contains("<code>BackingOff</code>: retry in 40s")
        .contains("<code title=\"" + REVISION + "\">0123456</code>")
        .contains("<h2>Containers (2)</h2>");
  }

  @Test
  void showsTheSourceTheRolloutAndTheLastPassesWithTheirActions() throws Exception {
    String html = rendered();

    assertThat(html)
        .contains("<dt>url</dt><dd><code>https://git.example/fleet.git</code></dd>")
        .contains("<dt>served by</dt><dd><code>https://mirror.example/fleet.git</code></dd>")
        .contains("<dt>wave</dt><dd>canary</dd>")
        .contains("<span class=\"badge warn\">Held</span> <code>Soaking</code>: Soaking: 4m left")
        .contains("<li>create web: converged</li>\n<li>create cache: failed</li>")
        .contains("<span class=\"badge bad\">failed</span>")
        .contains("webhook · 1.5 s")
        .contains("startup · 250 ms")
        .contains("<time datetime=\"2026-12-02T10:01:00Z\">2026-12-02 10:01:00Z</time>")
        .contains("(4m ago)")
        .contains("(1h ago)");
    // The status lists the newest pass first, and so does the page.
    assertThat(html.indexOf("webhook · ")).isLessThan(html.indexOf("startup · "));
  }

  @Test
  void showsTheEventsNewestFirst() throws Exception {
    String html = rendered();

    assertThat(html)
        .contains("The newest 2 of 2, newest first")
        .contains("<span class=\"badge ok\">applied</span>")
        .contains(
            "<b>web</b> <code title=\"" + REVISION + "\">0123456</code><br>create: started it");
    assertThat(html.indexOf("badge bad\">failed</span> <time datetime=\"2026-12-02T10:01:01Z\""))
        .isPositive()
        .isLessThan(html.indexOf("create: started it"));
  }

  @Test
  void showsAtMostTheNewestFiftyEventsAndAHostEventAsTheHosts() throws Exception {
    EventJournal journal = new EventJournal(100, Clock.fixed(NOW, ZoneOffset.UTC));
    for (int i = 1; i <= 60; i++) {
      journal.record(EventType.APPLIED, null, REVISION, "revision applied #" + i);
    }

    String html = page.render(StatusJson.read(STATUS), journal.after(0));

    assertThat(html).contains("The newest 50 of 60").contains("revision applied #60<");
    assertThat(html).contains("revision applied #11<").doesNotContain("revision applied #10<");
    assertThat(html).contains("<span class=\"dim\">host</span>");
  }

  @Test
  void isAWholeDocumentForAPhoneThatReloadsItselfWithoutScript() throws Exception {
    String html = rendered();

    assertThat(html)
        .startsWith("<!DOCTYPE html>\n<html lang=\"en\">")
        .contains("<meta charset=\"utf-8\">")
        .contains("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
        .contains("<meta http-equiv=\"refresh\" content=\"10\">")
        .contains("<title>berth · host-a</title>")
        .endsWith("</body>\n</html>\n");
    // No external asset: nothing the page would fetch.
    assertThat(html).doesNotContain("src=\"", "href=\"", "url(", "@import");
  }

  @Test
  void withoutARolloutOrPassesTheSectionsSaySo() throws Exception {
    AgentStatus status = StatusJson.read(STATUS);
    AgentStatus bare =
        new AgentStatus(
            status.host(),
            status.version(),
            true,
            false,
            status.source(),
            null,
            null,
            java.util.List.of("a.yaml:3:1: <b>bad</b>"),
            java.util.List.of(),
            java.util.List.of(),
            null);

    String html = page.render(bare, new EventJournal.Page(0, 0, java.util.List.of()));

    assertThat(html)
        .contains("The repository has no Rollout")
        .contains("No pass yet.")
        .contains("No containers on this host.")
        .contains("No events yet.")
        .contains(
            "<span class=\"badge warn\">Not ready</span> <span class=\"badge warn\">Suspended")
        .contains("a.yaml:3:1: &lt;b&gt;bad&lt;/b&gt;");
  }

  @Test
  void theAnswerCarriesTheHeadersThatForbidScriptsFramesAndSniffing() throws Exception {
    Reply reply = page.answer(StatusJson.read(STATUS), StatusJson.readEvents(EVENTS));

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.contentType()).isEqualTo("text/html; charset=utf-8");
    assertThat(reply.headers())
        .containsEntry(
            "Content-Security-Policy",
            "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none';"
                + " frame-ancestors 'none'")
        .containsEntry("Referrer-Policy", "no-referrer")
        .containsEntry("X-Frame-Options", "DENY");
    assertThat(new String(reply.body(), StandardCharsets.UTF_8)).isEqualTo(rendered());
  }

  @Test
  void beforeTheFirstStatusItIsAShortPageAnswered503() {
    Reply reply = page.answer(null, new EventJournal.Page(0, 0, java.util.List.of()));

    assertThat(reply.status()).isEqualTo(503);
    assertThat(reply.contentType()).isEqualTo("text/html; charset=utf-8");
    assertThat(new String(reply.body(), StandardCharsets.UTF_8))
        .contains("No status yet: the agent is starting.")
        .contains("<meta http-equiv=\"refresh\" content=\"10\">");
    assertThat(reply.headers()).containsKey("Content-Security-Policy");
  }
}
