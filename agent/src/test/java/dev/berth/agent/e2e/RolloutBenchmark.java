package dev.berth.agent.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.agent.e2e.Fleet.Host;
import dev.berth.agent.e2e.Fleet.HostSpec;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * Benchmark, not a test (issue 14, "Speed and scale"; run by {@code bin/bench-rollout} only, its
 * name matches none of the build's test patterns): on RolloutE2E's three hosts, a Rollout canary →
 * web with a 0 s soak, the time from a push (the {@code git push} returning) to the last host
 * having applied and converged it, with the agents polling every 2 s alone ({@code polling}) and
 * with one signed push webhook to each agent at once after the push ({@code webhook}); and what the
 * Prometheus gate costs a pass. Both modes run on the same agents (each has the webhook secret;
 * {@code polling} sends no delivery), alternating, each push at a random phase of the polls. Prints
 * every round and writes all to {@code target/bench-rollout.txt}. Times are measured and printed,
 * never asserted: the checks are that every host got there, and at most one gate query per pass.
 */
class RolloutBenchmark {
  private static final Path JAR_DIR = Path.of("target");
  private static final Path RESULTS = JAR_DIR.resolve("bench-rollout.txt");
  private static final Duration CONVERGE = Duration.ofSeconds(120);
  private static final Duration SETTLE = Duration.ofSeconds(3);
  private static final Duration INTERVAL = Duration.ofSeconds(2); // agentConfig: interval
  private static final String SECRET = "bench-rollout-webhook-secret";
  private static final String SECRET_FILE = "/opt/e2e/webhook-secret";
  private static final List<String> MODES = List.of("polling", "webhook");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http =
      HttpClient.newBuilder()
          .proxy(HttpClient.Builder.NO_PROXY)
          .connectTimeout(Duration.ofSeconds(2))
          .build();
  private final StringBuilder report = new StringBuilder();
  private final Random phase = new Random(14);
  private Fleet fleet;
  private BusyboxImage image;
  private String gateUrl;
  private boolean capKill;

  /**
   * One host in one round, in seconds after the push: its pass that applied the revision started
   * ({@code goes}), it recorded the container's new generation (after the health verdict), and that
   * pass ended (the host runs the revision with every container ready); what triggered that pass.
   */
  record HostTiming(String host, String trigger, double goes, double applied, double converged) {}

  /**
   * One host in one round: the durations of its passes that the gate held, that went, and that had
   * nothing to do (from its status), its gate queries, all its passes and their query time (from
   * its metrics), and whether its wave is gated (not the first).
   */
  record PassCosts(
      List<Double> held,
      List<Double> go,
      List<Double> idle,
      int gateQueries,
      int passes,
      double query,
      boolean gated) {}

  @Test
  void pushToLastHostConverged() throws Exception {
    int rounds = Integer.getInteger("bench.rounds", 5);
    try (Fleet booted =
        Fleet.boot(
            JAR_DIR,
            List.of(
                new HostSpec("canary-1", Map.of("wave", "canary")),
                new HostSpec("web-1", Map.of("tier", "web")),
                new HostSpec("web-2", Map.of("tier", "web"))))) {
      fleet = booted;
      image = BusyboxImage.build(Files.createDirectories(fleet.shared().resolve("images")));
      gateUrl = fleet.startPrometheus().url();
      String first = push("first");
      for (Host host : fleet.hosts()) {
        Files.writeString(host.work().resolve("webhook-secret"), SECRET + "\n");
        // http: is agentConfig's last section, so this line lands in it.
        fleet.startAgent(host, fleet.agentConfig(host) + "  webhookSecretFile: " + SECRET_FILE);
      }
      for (Host host : fleet.hosts()) {
        awaitApplied(host, first);
      }
      Thread.sleep(SETTLE.toMillis());

      Map<String, List<Double>> totals = new LinkedHashMap<>();
      Map<String, List<PassCosts>> costs = new LinkedHashMap<>();
      MODES.forEach(mode -> totals.put(mode, new ArrayList<>()));
      MODES.forEach(mode -> costs.put(mode, new ArrayList<>()));
      line(
          "push to last host converged: 3 hosts (canary-1 | web-1, web-2 after canary, soak 0s),"
              + " source.interval "
              + INTERVAL.toSeconds()
              + "s"
              + ", "
              + rounds
              + " rounds, "
              + Runtime.getRuntime().availableProcessors()
              + " cores");
      for (int round = 1; round <= rounds; round++) {
        // Alternating the modes spreads a load that comes and goes over both.
        for (String mode : MODES) {
          Map<String, Scrape> before = scrapes();
          // Rounds of one length would push at one phase of the agents' polls each time.
          Thread.sleep(phase.nextInt((int) INTERVAL.toMillis()));
          String revision = push(mode + " round " + round);
          Instant pushed = Instant.now();
          if (mode.equals("webhook")) {
            deliverWebhooks(revision);
          }
          for (Host host : fleet.hosts()) {
            awaitConverged(host, revision);
          }
          Map<String, Scrape> after = scrapes();
          List<HostTiming> timings = new ArrayList<>();
          for (Host host : fleet.hosts()) {
            JsonNode status = status(host);
            assertThat(status.path("lastAppliedRevision").asText()).isEqualTo(revision);
            timings.add(timing(host, status, revision, pushed));
            costs
                .get(mode)
                .add(passCosts(status, pushed, before.get(host.name()), after.get(host.name())));
          }
          double last = timings.stream().mapToDouble(HostTiming::converged).max().orElseThrow();
          totals.get(mode).add(last);
          StringBuilder row = new StringBuilder("round %d %-7s:".formatted(round, mode));
          for (HostTiming timing : timings) {
            row.append(
                " %s goes +%.2f s (%s), applied +%.2f s, converged +%.2f s;"
                    .formatted(
                        timing.host(),
                        timing.goes(),
                        timing.trigger(),
                        timing.applied(),
                        timing.converged()));
          }
          line(row.append(" all converged +%.2f s".formatted(last)).toString());
          Thread.sleep(SETTLE.toMillis());
        }
      }
      summary(totals, costs);
      Files.writeString(RESULTS, report);
    }
  }

  /** The Rollout (canary, then web after a 0 s soak) and the container app on every host. */
  private String push(String message) throws Exception {
    capKill = !capKill; // CAP_CHOWN <-> CAP_KILL: a restart on every host
    fleet
        .repo()
        .write(
            "rollout.yaml",
            """
            apiVersion: berth.dev/v1alpha1
            kind: Rollout
            metadata:
              name: fleet
            spec:
              waves:
                - {name: canary, selector: {matchLabels: {wave: canary}}}
                - {name: web, after: {wave: canary, soak: 0s}}
              gate: {prometheus: {url: "%s", timeout: 2s}}
            """
                .formatted(gateUrl));
    fleet
        .repo()
        .write(
            "app.yaml",
            """
            apiVersion: berth.dev/v1alpha1
            kind: Container
            metadata:
              name: app
            spec:
              placement:
                hosts: [canary-1, web-1, web-2]
              image:
                tarball:
                  url: file://%s/images/%s
                  sha256: %s
              privateUsers: "no"
              capabilities: [%s]
              health:
                command: [/bin/busybox, test, -e, /etc/inittab]
                timeoutSec: 20
              nspawn:
                Exec:
                  KillSignal: SIGUSR2
            """
                .formatted(
                    Fleet.SHARED,
                    image.tarball().getFileName(),
                    image.sha256(),
                    capKill ? "CAP_KILL" : "CAP_CHOWN"));
    return fleet.repo().commitAndPush(message);
  }

  /**
   * What a Git server's push hook does: one signed GitHub delivery to each agent, all at once, to
   * the agents' zone addresses.
   */
  private void deliverWebhooks(String revision) throws Exception {
    byte[] body =
        ("{\"ref\":\"refs/heads/main\",\"after\":\"" + revision + "\"}")
            .getBytes(StandardCharsets.UTF_8);
    String signature = "sha256=" + hmac(body);
    List<CompletableFuture<HttpResponse<String>>> sent = new ArrayList<>();
    for (Host host : fleet.hosts()) {
      HttpRequest request =
          HttpRequest.newBuilder(
                  URI.create("http://" + host.address() + ":" + Fleet.AGENT_PORT + "/hooks/github"))
              .timeout(Duration.ofSeconds(5))
              .header("Content-Type", "application/json")
              .header("X-GitHub-Event", "push")
              .header("X-GitHub-Delivery", UUID.randomUUID().toString())
              .header("X-Hub-Signature-256", signature)
              .POST(HttpRequest.BodyPublishers.ofByteArray(body))
              .build();
      sent.add(http.sendAsync(request, HttpResponse.BodyHandlers.ofString()));
    }
    for (CompletableFuture<HttpResponse<String>> response : sent) {
      assertThat(response.get().statusCode()).as(response.get().body()).isEqualTo(202);
    }
  }

  private static String hmac(byte[] body) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    return HexFormat.of().formatHex(mac.doFinal(body));
  }

  /**
   * When the host activated app's newest generation (its own record, {@code berth history}) and
   * when the pass that applied {@code revision} ended (its status; the status moves to the revision
   * at that moment), in seconds after the push.
   */
  private HostTiming timing(Host host, JsonNode status, String revision, Instant pushed)
      throws Exception {
    JsonNode generations =
        JSON.readTree(
                host.exec("java", "-jar", "/opt/berth/berth.jar", "history", "app", "-o", "json")
                    .orFail("berth history app on " + host)
                    .out())
            .path("generations");
    JsonNode newest = generations.get(generations.size() - 1);
    assertThat(newest.path("revision").asText()).isEqualTo(revision);
    Instant applied = Instant.parse(newest.path("time").asText());
    JsonNode go = null;
    for (JsonNode pass : status.path("passes")) {
      if (pass.path("result").asText().equals("success")
          && pass.path("revision").asText().equals(revision)
          && !pass.path("actions").isEmpty()) {
        go = pass;
      }
    }
    assertThat(go).as("the pass that applied " + revision + " on " + host).isNotNull();
    Instant goes = Instant.parse(go.path("started").asText());
    Instant converged = goes.plus(Duration.parse(go.path("duration").asText()));
    return new HostTiming(
        host.name(),
        go.path("trigger").asText(),
        seconds(pushed, goes),
        seconds(pushed, applied),
        seconds(pushed, converged));
  }

  /** A round's passes on one host (those that started after the push) and its gate's counters. */
  private static PassCosts passCosts(JsonNode status, Instant pushed, Scrape before, Scrape after) {
    List<Double> held = new ArrayList<>();
    List<Double> go = new ArrayList<>();
    List<Double> idle = new ArrayList<>();
    for (JsonNode pass : status.path("passes")) {
      if (Instant.parse(pass.path("started").asText()).isBefore(pushed)) {
        continue;
      }
      double took = Duration.parse(pass.path("duration").asText()).toNanos() / 1e9;
      if (pass.path("result").asText().equals("held")) {
        held.add(took);
      } else if (!pass.path("actions").isEmpty()) {
        go.add(took);
      } else if (pass.path("result").asText().equals("success")) {
        idle.add(took);
      }
    }
    int queries =
        (int) Math.round(delta(before, after, "berth_rollout_gate_query_duration_seconds_count"));
    int passes = (int) Math.round(delta(before, after, "berth_reconcile_duration_seconds_count"));
    assertThat(passes).as("passes counted (%s -> %s)", before, after).isPositive();
    assertThat(queries).as("gate queries against passes").isLessThanOrEqualTo(passes);
    assertThat(delta(before, after, "berth_rollout_gate_queries_total")).isEqualTo(queries);
    return new PassCosts(
        held,
        go,
        idle,
        queries,
        passes,
        delta(before, after, "berth_rollout_gate_query_duration_seconds_sum"),
        !status.path("rollout").path("wave").asText().equals("canary"));
  }

  private static double delta(Scrape before, Scrape after, String metric) {
    return after.sum(metric) - before.sum(metric);
  }

  private void summary(Map<String, List<Double>> totals, Map<String, List<PassCosts>> costs) {
    line("");
    line("| mode (source.interval " + INTERVAL.toSeconds() + "s) | median | min | max | rounds |");
    line("|---|---|---|---|---|");
    totals.forEach(
        (mode, values) -> {
          List<Double> sorted = values.stream().sorted().toList();
          line(
              "| %s | %.2f s | %.2f s | %.2f s | %d |"
                  .formatted(
                      mode,
                      median(sorted),
                      sorted.get(0),
                      sorted.get(sorted.size() - 1),
                      sorted.size()));
        });
    line("");
    costs.forEach(
        (mode, list) -> {
          int queries = list.stream().mapToInt(PassCosts::gateQueries).sum();
          int passes = list.stream().mapToInt(PassCosts::passes).sum();
          double queryTime = list.stream().mapToDouble(PassCosts::query).sum();
          List<Double> held = list.stream().flatMap(cost -> cost.held().stream()).toList();
          List<Double> go = list.stream().flatMap(cost -> cost.go().stream()).toList();
          List<Double> idle = list.stream().flatMap(cost -> cost.idle().stream()).toList();
          int gated =
              list.stream()
                  .filter(PassCosts::gated)
                  .mapToInt(cost -> cost.held().size() + cost.go().size())
                  .sum();
          line(
              ("gate, %s: %d Prometheus queries in %d passes of all hosts (%.2f per pass; the web"
                      + " hosts' %d held or going passes: %.2f each; the canary's first wave asks"
                      + " none); mean query %.1f ms; held pass mean %.1f ms (n=%d), pass with"
                      + " nothing to do %.1f ms (n=%d), pass that goes %.0f ms (n=%d, restart and"
                      + " health check included)")
                  .formatted(
                      mode,
                      queries,
                      passes,
                      passes == 0 ? 0.0 : (double) queries / passes,
                      gated,
                      gated == 0 ? 0.0 : (double) queries / gated,
                      queries == 0 ? 0.0 : queryTime / queries * 1000,
                      mean(held) * 1000,
                      held.size(),
                      mean(idle) * 1000,
                      idle.size(),
                      mean(go) * 1000,
                      go.size()));
        });
  }

  private void line(String text) {
    System.out.println(text);
    report.append(text).append('\n');
  }

  private static double median(List<Double> sorted) {
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  private static double mean(List<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).average().orElse(0);
  }

  private static double seconds(Instant from, Instant to) {
    return Duration.between(from, to).toMillis() / 1000.0;
  }

  private JsonNode status(Host host) throws Exception {
    String answer = host.testbed().agentApi("GET", "/api/v1/status");
    assertThat(answer).startsWith("200 ");
    return JSON.readTree(answer.substring(4));
  }

  /** Every agent's metrics, each read until it answers. */
  private Map<String, Scrape> scrapes() throws InterruptedException {
    Map<String, Scrape> scrapes = new LinkedHashMap<>();
    for (Host host : fleet.hosts()) {
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      String answer = fleet.agentHttp(host, "/metrics");
      while (!answer.startsWith("200 ")) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("the metrics of " + host + " do not answer: " + answer);
        }
        Thread.sleep(100);
        answer = fleet.agentHttp(host, "/metrics");
      }
      scrapes.put(host.name(), new Scrape(answer.substring(4)));
    }
    return scrapes;
  }

  private Scrape scrape(Host host) {
    String answer = fleet.agentHttp(host, "/metrics");
    return new Scrape(answer.startsWith("200 ") ? answer.substring(4) : "");
  }

  private void awaitApplied(Host host, String revision) throws Exception {
    Await.until(
        host.name() + " applies " + revision,
        CONVERGE,
        () -> scrape(host).has("berth_applied_revision_info", "revision=\"" + revision + "\""),
        host::agentLog);
  }

  /**
   * Until the host's metrics say it runs {@code revision} with every container ready: the agent
   * sets both once the pass that applied it ended. Its TCP listener, not the socket: a request over
   * the zone costs the hosts less than a process in them would.
   */
  private void awaitConverged(Host host, String revision) throws Exception {
    Await.until(
        host.name() + " converges on " + revision,
        CONVERGE,
        () -> {
          Scrape scrape = scrape(host);
          return scrape.has("berth_applied_revision_info", "revision=\"" + revision + "\"")
              && scrape.has("berth_applied_revision_converged_timestamp_seconds", "");
        },
        host::agentLog);
  }

  /** One scrape of an agent's /metrics in the Prometheus text format. */
  record Scrape(String text) {
    /** The sum of the metric's series (every label set). */
    double sum(String metric) {
      return text.lines()
          .filter(line -> isSeries(line, metric))
          .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
          .sum();
    }

    /** Whether the metric has a series whose labels contain {@code labels}. */
    boolean has(String metric, String labels) {
      return text.lines().anyMatch(line -> isSeries(line, metric) && line.contains(labels));
    }

    @Override
    public String toString() {
      return "passes " + sum("berth_reconcile_duration_seconds_count");
    }

    private static boolean isSeries(String line, String metric) {
      return line.startsWith(metric)
          && line.length() > metric.length()
          && (line.charAt(metric.length()) == '{' || line.charAt(metric.length()) == ' ');
    }
  }
}
