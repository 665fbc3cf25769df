package dev.berth.agent.http;

import static dev.berth.reconciler.testing.ContainerYaml.container;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.agent.config.AgentConfig;
import dev.berth.agent.daemon.Agent;
import dev.berth.agent.daemon.FakeHostAgent;
import dev.berth.agent.source.GitRepo;
import dev.berth.agent.source.GitSource;
import dev.berth.agent.source.SourceSettings;
import dev.berth.agent.status.AgentStatus;
import dev.berth.reconciler.apply.FakeHost;
import dev.berth.reconciler.testing.ContainerYaml;
import dev.berth.reconciler.testing.RolloutYaml;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.awt.image.BufferedImage;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The status page of a real agent (its passes over a real Git repository, against an in-memory
 * host) served by the real HTTP server on loopback, as Debian's real headless Chromium loads it.
 */
class StatusPageIT {
  /** A file name in Git that is markup: the invalid revision's event and errors quote it. */
  private static final String HOSTILE_FILE = "<img src=x onerror=alert(1)>.yaml";

  private static final Path SCREENSHOT = Path.of("target", "ui-390x844.png");

  @TempDir Path tmp;
  private final FakeHost host = new FakeHost();
  private GitRepo repo;
  private Agent agent;
  private AgentHttpServer server;
  private String applied;

  @BeforeEach
  void runTwoPasses() throws Exception {
    repo = GitRepo.init(tmp.resolve("manifests"));
    repo.write(
        "apps/m.yaml",
        ContainerYaml.docs(container("db"), container("web").spec("dependsOn: [db]")));
    repo.write("rollout.yaml", RolloutYaml.MINIMAL);
    applied = repo.commit("db and web, and a Rollout of one wave");
    SourceSettings source =
        new SourceSettings(
            repo.url(),
            new SourceSettings.Ref("main", null, null, null),
            "",
            Duration.ofSeconds(30),
            SourceSettings.Auth.NONE,
            null);
    AgentConfig config =
        new AgentConfig(
            ContainerYaml.HOST.name(),
            Map.of(),
            source,
            Duration.ofHours(1),
            new AgentConfig.Sync(true, true, 5, false, Duration.ofHours(1), false),
            AgentHttpServerIT.ANY_LOOPBACK_PORT,
            null,
            Files.createDirectories(tmp.resolve("state")));
    agent =
        FakeHostAgent.on(host)
            .version("0.1.0-it")
            .create(config, new GitSource(source, tmp.resolve("cache")));
    pass("startup");
    repo.write(HOSTILE_FILE, "kind: [not, a, manifest\n");
    repo.commit("a broken file");
    pass("poll");
  }

  @AfterEach
  void stop() throws Exception {
    if (server != null) {
      server.stop();
    }
    if (agent != null) {
      agent.close();
    }
  }

  private void pass(String trigger) throws InterruptedException {
    int before = agent.status().passes().size();
    agent.triggerReconcile(trigger);
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (agent.status().passes().size() == before && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(agent.status().passes()).hasSize(before + 1);
  }

  private TestHttp serve(boolean tcpStatus) throws Exception {
    InetSocketAddress tcp = AgentHttpServerIT.ANY_LOOPBACK_PORT;
    Path socket = tmp.resolve("agent.sock");
    HttpSettings settings = new HttpSettings(tcp, socket, null, null, tcpStatus, null, null);
    server =
        new AgentHttpServer(settings, agent, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    server.start();
    return new TestHttp(server.address());
  }

  @Test
  void chromiumShowsTheContainersTheirPhaseTheRevisionAndTheEventsOnAPhoneSizedScreen()
      throws Exception {
    TestHttp http = serve(true);
    AgentStatus status = agent.status();
    assertThat(status.lastAppliedRevision()).isEqualTo(applied);
    HeadlessChromium chromium = new HeadlessChromium(tmp.resolve("chromium"));

    String dom = chromium.dumpDom(http.uri("/ui"));

    assertThat(dom)
        .contains("<title>berth · h1</title>")
        .contains("<h3>db <span class=\"badge ok\">Running</span></h3>")
        .contains("<h3>web <span class=\"badge ok\">Running</span></h3>")
        .contains("<code>ReconciliationSucceeded</code>")
        .contains(">" + applied.substring(0, 7) + "</code>")
        .contains("title=\"" + applied + "\"")
        .contains("<dt>url</dt><dd><code>" + repo.url() + "</code>")
        // The events: each container's creation, the revision, then the broken one refused.
        .contains("create: unpacked; started")
        .contains("badge bad\">invalid</span>")
        .contains("<dt>wave</dt><dd>all</dd>")
        .contains("<span class=\"badge ok\">Not held</span>");
    // The hostile file name is text in the DOM Chromium built, never an element.
    assertThat(dom).contains("&lt;img src=x onerror=alert(1)&gt;.yaml");
    assertThat(dom).doesNotContain("<img").doesNotContain("<script");

    chromium.screenshot(http.uri("/ui"), SCREENSHOT, 390, 844);

    assertThat(SCREENSHOT).isRegularFile();
    BufferedImage png = ImageIO.read(SCREENSHOT.toFile());
    assertThat(png.getWidth()).isEqualTo(390);
    assertThat(png.getHeight()).isEqualTo(844);
    assertThat(colours(png)).as("distinct colours: text and badges were drawn").isGreaterThan(50);

    HeadlessChromium.Widths widths = chromium.widths(http.uri("/ui"), 390, 844);
    assertThat(widths.viewport()).isEqualTo(390);
    assertThat(widths.document()).as("no sideways scroll on a phone").isEqualTo(390);
  }

  @Test
  void theHeadersForbidScriptsFramesSniffingCachingAndReferrers() throws Exception {
    TestHttp http = serve(true);

    HttpResponse<String> page = http.get("/ui");

    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().map())
        .containsEntry("content-type", java.util.List.of("text/html; charset=utf-8"))
        .containsEntry(
            "content-security-policy", java.util.List.of(StatusPage.CONTENT_SECURITY_POLICY))
        .containsEntry("x-content-type-options", java.util.List.of("nosniff"))
        .containsEntry("cache-control", java.util.List.of("no-store"))
        .containsEntry("referrer-policy", java.util.List.of("no-referrer"))
        .containsEntry("x-frame-options", java.util.List.of("DENY"));
    assertThat(page.body()).startsWith("<!DOCTYPE html>").contains("create: unpacked; started");
  }

  @Test
  void headAnswersTheHeadersWithoutTheBodyAndOtherMethodsAreRefused() throws Exception {
    TestHttp http = serve(true);
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    HttpResponse<String> head =
        client.send(
            HttpRequest.newBuilder(http.uri("/ui"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> post = http.post("/ui");

    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(head.body()).isEmpty();
    assertThat(head.headers().firstValue("content-type")).hasValue("text/html; charset=utf-8");
    assertThat(head.headers().firstValue("x-frame-options")).hasValue("DENY");
    assertThat(post.statusCode()).isEqualTo(405);
    assertThat(post.headers().firstValue("allow")).hasValue("GET, HEAD");
    assertThat(http.get("/ui?refresh=1").statusCode()).isEqualTo(400);
  }

  @Test
  void aCallerTheStatusApiRefusesIsRefusedThePage() throws Exception {
    TestHttp http = serve(false);

    HttpResponse<String> status = http.get("/api/v1/status");
    HttpResponse<String> page = http.get("/ui");

    assertThat(status.statusCode()).isEqualTo(403);
    assertThat(page.statusCode()).isEqualTo(403);
    assertThat(page.body())
        .isEqualTo(status.body())
        .startsWith("the status is not served over TCP")
        .doesNotContain("create: unpacked; started");
    // Root on the unix socket reads both.
    UnixSocketHttp.Response overSocket =
        TestHttp.overSocket(server.socket(), "GET /ui HTTP/1.1\nHost: x\nConnection: close\n\n");
    assertThat(overSocket.status()).isEqualTo(200);
    assertThat(overSocket.body()).contains("<h3>web ");
  }

  private static int colours(BufferedImage image) {
    Set<Integer> seen = new HashSet<>();
    for (int y = 0; y < image.getHeight(); y += 2) {
      for (int x = 0; x < image.getWidth(); x += 2) {
        seen.add(image.getRGB(x, y));
      }
    }
    return seen.size();
  }
}
