package dev.berth.agent.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * {@code berth agent} on a real systemd host: it polls a real Git repository (file://, pushed to
 * with the git CLI), serves its API on the host's loopback, and keeps busybox containers as Git
 * says. Scenarios build on each other, in order.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AgentE2E {
  private static final Path JAR_DIR = Path.of("target");
  private static final String SECRET = "e2e-webhook-secret";
  private static final String API = "http://127.0.0.1:9480";
  private static final TestbedAgent.Config CONFIG =
      TestbedAgent.config()
          .source("ref: {branch: main}")
          .interval("3s")
          .sync("maxRemovals: 5")
          .http("webhookSecretFile: /opt/e2e/secret");

  private Path work;
  private Testbed testbed;
  private BusyboxImage image;
  private GitRepo repo;
  private TestbedAgent agent;

  @BeforeAll
  void boot() throws Exception {
    work = Files.createTempDirectory("berth-agent-e2e");
    image = BusyboxImage.build(work);
    repo = GitRepo.create(work);
    Files.writeString(work.resolve("secret"), SECRET + "\n");
    repo.write("apps/a.yaml", container("a"));
    repo.commitAndPush("a");
    testbed = Testbed.boot(JAR_DIR, work);
    agent = TestbedAgent.underOneName(testbed, work);
    agent.configure(CONFIG);
  }

  @AfterAll
  void shutDown() throws Exception {
    if (testbed != null) {
      testbed.close();
    }
  }

  private String container(String name, String... spec) {
    return image.killable(name, spec);
  }

  private void startAgent() throws Exception {
    agent.launch();
    Await.until(
        "the agent is ready",
        Duration.ofSeconds(60),
        () -> http("GET", "/readyz", null, null).startsWith("200"));
  }

  /**
   * An HTTP call from inside the testbed host: "CODE BODY". The control API over the agent's unix
   * socket (curl, as root), the rest over TCP (busybox wget).
   */
  private String http(String method, String path, String body, String header) {
    if (path.startsWith("/api/")) {
      return testbed.agentApi(method, path);
    }
    try {
      String script =
          "busybox wget -S -q -O - "
              + (header == null ? "" : "--header '" + header + "' ")
              + (method.equals("POST") ? "--post-data '" + (body == null ? "" : body) + "' " : "")
              + "'"
              + API
              + path
              + "' 2>/tmp/wget.err; code=$(sed -n 's/^ *HTTP\\/1.1 \\([0-9]*\\).*/\\1/p' /tmp/wget.err | tail -1); echo; echo \"CODE=$code\"";
      String out = testbed.sh(script).out();
      int at = out.lastIndexOf("CODE=");
      String code = out.substring(at + 5).strip();
      return (code.isEmpty() ? "000" : code) + " " + out.substring(0, at).strip();
    } catch (Exception e) {
      return "000 " + e.getMessage();
    }
  }

  private String status() {
    return http("GET", "/api/v1/status", null, null);
  }

  private String metrics() {
    return http("GET", "/metrics", null, null);
  }

  @Test
  @Order(1)
  void theFirstRevisionIsAppliedAndTheAgentIsReady() throws Exception {
    Files.copy(image.tarball(), work.resolve("busybox.tar"));
    startAgent();

    Await.until("a runs", Duration.ofSeconds(60), testbed.running("a"));
    assertThat(http("GET", "/healthz", null, null)).startsWith("200");
    assertThat(status()).startsWith("200").contains("\"lastAppliedRevision\"");
  }

  @Test
  @Order(2)
  void aPushedContainerRunsWithinOnePollInterval() throws Exception {
    repo.write("apps/b.yaml", container("b"));
    repo.commitAndPush("b");
    long start = System.nanoTime();

    Await.until("b runs", Duration.ofSeconds(30), testbed.running("b"));

    System.out.printf(
        "b running %.1f s after the push (poll interval 3 s)%n", (System.nanoTime() - start) / 1e9);
  }

  @Test
  @Order(3)
  void aSignedWebhookTriggersAPassAtOnceAndABadOneIsRefused() throws Exception {
    repo.write("apps/c.yaml", container("c"));
    repo.commitAndPush("c");
    String body = "{\"ref\":\"refs/heads/main\"}";
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    String signature =
        java.util.HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));

    assertThat(http("POST", "/hooks/github", body, "X-Hub-Signature-256: sha256=" + "0".repeat(64)))
        .startsWith("401");
    long start = System.nanoTime();
    assertThat(http("POST", "/hooks/github", body, "X-Hub-Signature-256: sha256=" + signature))
        .startsWith("202");
    Await.until("c runs", Duration.ofSeconds(30), testbed.running("c"));
    System.out.printf("c running %.1f s after the webhook%n", (System.nanoTime() - start) / 1e9);
  }

  @Test
  @Order(4)
  void anInvalidCommitIsNotAppliedAndItsFixIs() throws Exception {
    repo.write("apps/d.yaml", container("d", "colour: blue"));
    String bad = repo.commitAndPush("invalid d");
    http("POST", "/api/v1/reconcile", "", null);

    Await.until(
        "the bad revision is reported",
        Duration.ofSeconds(30),
        () -> status().contains("unknown field \\\"colour\\\" in spec") && status().contains(bad));
    assertThat(testbed.unitProperty("d", "ActiveState")).isNotEqualTo("active");
    assertThat(testbed.unitProperty("a", "ActiveState")).isEqualTo("active");

    repo.write("apps/d.yaml", container("d"));
    repo.commitAndPush("fixed d");
    http("POST", "/api/v1/reconcile", "", null);
    Await.until("d runs", Duration.ofSeconds(30), testbed.running("d"));
  }

  @Test
  @Order(5)
  void aContainerStoppedByHandIsDriftAndIsHealed() throws Exception {
    testbed.exec("systemctl", "stop", "systemd-nspawn@b.service").orFail("stopping b by hand");

    Await.until("b runs again", Duration.ofSeconds(20), testbed.running("b"));
    // The agent logs the start once its job is done, a moment after systemd says b runs.
    Await.until(
        "the agent logged the healing",
        Duration.ofSeconds(10),
        () -> {
          try {
            String log =
                testbed.exec("journalctl", "-u", agent.unit(), "--no-pager", "-o", "cat").out();
            return log.lines()
                .anyMatch(
                    line ->
                        line.contains("container=b action=start") && line.contains("drift=true"));
          } catch (Exception e) {
            return false;
          }
        });
  }

  @Test
  @Order(6)
  void aRealPrometheusSeesDriftWhileASuspendedContainerIsStopped() throws Exception {
    Files.writeString(
        work.resolve("prometheus.yml"),
        """
        global:
          scrape_interval: 1s
        scrape_configs:
          - job_name: berth
            static_configs:
              - targets: ['127.0.0.1:9480']
        """);
    testbed
        .exec(
            "systemd-run",
            "--unit=prometheus-e2e",
            "prometheus",
            "--config.file=/opt/e2e/prometheus.yml",
            "--storage.tsdb.path=/tmp/prometheus",
            "--web.listen-address=127.0.0.1:9090")
        .orFail("starting prometheus");
    assertThat(
            testbed
                .exec("java", "-jar", "/opt/berth/berth.jar", "suspend", "b")
                .orFail("berth suspend b")
                .out())
        .isNotBlank();
    testbed.exec("systemctl", "stop", "systemd-nspawn@b.service").orFail("stopping b by hand");
    String query =
        "http://127.0.0.1:9090/api/v1/query?query=berth_container_drifted%7Bcontainer%3D%22b%22%7D";

    Await.until(
        "Prometheus sees b drifted",
        Duration.ofSeconds(60),
        () -> {
          try {
            return testbed.sh("busybox wget -q -O - '" + query + "'").out().contains("\"1\"]");
          } catch (Exception e) {
            return false;
          }
        });
    assertThat(testbed.unitProperty("b", "ActiveState")).isNotEqualTo("active");
    assertThat(status()).contains("\"suspended\" : true");

    testbed.exec("java", "-jar", "/opt/berth/berth.jar", "resume", "b").orFail("berth resume b");
    Await.until("b runs again", Duration.ofSeconds(30), testbed.running("b"));
    Await.until(
        "Prometheus sees b back in line",
        Duration.ofSeconds(60),
        () -> {
          try {
            return testbed.sh("busybox wget -q -O - '" + query + "'").out().contains("\"0\"]");
          } catch (Exception e) {
            return false;
          }
        });
    testbed.exec("systemctl", "stop", "prometheus-e2e");
  }

  @Test
  @Order(7)
  void emptyingTheRepositoryIsRefused() throws Exception {
    for (String name : List.of("a", "b", "c", "d")) {
      repo.delete("apps/" + name + ".yaml");
    }
    repo.write("README.md", "nothing here\n");
    repo.commitAndPush("empty");
    http("POST", "/api/v1/reconcile", "", null);

    Await.until(
        "the refusal is reported",
        Duration.ofSeconds(30),
        () -> status().contains("MassPruneRefused"));
    assertThat(testbed.unitProperty("a", "ActiveState")).isEqualTo("active");
    assertThat(metrics()).contains("berth_reconcile_total{result=\"refused\"}");
  }

  @Test
  @Order(8)
  void anAgentKilledAndRestartedConvergesWithoutRepeatingWork() throws Exception {
    for (String name : List.of("a", "b", "c", "d")) {
      repo.write("apps/" + name + ".yaml", container(name));
    }
    repo.commitAndPush("all back");
    http("POST", "/api/v1/reconcile", "", null);
    Await.until(
        "the full revision is applied",
        Duration.ofSeconds(30),
        () -> !status().contains("MassPruneRefused"));
    testbed
        .exec("systemctl", "kill", "--kill-whom=main", "--signal=SIGKILL", agent.unit())
        .orFail("SIGKILL");
    Await.until(
        "the agent is gone",
        Duration.ofSeconds(20),
        () -> http("GET", "/healthz", null, null).startsWith("000"));
    // systemd notices the death a moment after the port closes; only then can the unit go.
    Await.until(
        "systemd saw the agent die",
        Duration.ofSeconds(20),
        () -> {
          try {
            return List.of("failed", "inactive")
                .contains(
                    testbed
                        .exec(
                            "systemctl", "show", "--property=ActiveState", "--value", agent.unit())
                        .out()
                        .strip());
          } catch (Exception e) {
            return false;
          }
        });
    testbed.exec("systemctl", "reset-failed", agent.unit());
    String cursor =
        testbed
            .exec("journalctl", "-u", agent.unit(), "--show-cursor", "-n", "0", "-o", "cat")
            .out()
            .replaceAll("(?s).*-- cursor: ", "")
            .strip();

    startAgent();
    Await.until(
        "a pass after restart",
        Duration.ofSeconds(30),
        () ->
            status().contains("\"trigger\" : \"startup\"")
                || status().contains("\"trigger\":\"startup\""));
    String log =
        testbed
            .exec(
                "journalctl",
                "-u",
                agent.unit(),
                "--after-cursor=" + cursor,
                "--no-pager",
                "-o",
                "cat")
            .out();
    assertThat(log).contains("msg=pass trigger=startup").doesNotContain("msg=action");
    for (String name : List.of("a", "b", "c", "d")) {
      assertThat(testbed.unitProperty(name, "ActiveState")).as(name).isEqualTo("active");
    }
  }

  @Test
  @Order(10)
  void aHugeFilePlantedInAContainersTreeLeavesThatContainerAloneAndTheAgentRunsOn()
      throws Exception {
    repo.write(
        "apps/n.yaml",
        container(
            "n",
            "network:",
            "  v4: {static: {containerPool: [10.91.0.2/24], hostAddresses: [10.91.0.1/24]}}"));
    repo.commitAndPush("n, with its own network");
    http("POST", "/api/v1/reconcile", "", null);
    Await.until("n runs", Duration.ofSeconds(30), testbed.running("n"));
    String planted = "/var/lib/machines/n/etc/systemd/network/20-berth-host0.network";
    testbed.exec("test", "-f", planted).orFail("berth's file in n's tree");
    String leader = testbed.exec("machinectl", "show", "n", "--property=Leader", "--value").out();

    // What a process in the container can do to its own tree: 3 GiB (sparse) where berth looks.
    testbed.exec("truncate", "-s", "3G", planted).orFail("planting the huge file");
    http("POST", "/api/v1/reconcile", "", null);

    Await.until(
        "n is left alone with the reason",
        Duration.ofSeconds(30),
        () -> status().contains("more than the limit of 1048576 bytes"));
    assertThat(http("GET", "/healthz", null, null)).startsWith("200");
    assertThat(testbed.exec("machinectl", "show", "n", "--property=Leader", "--value").out())
        .as("n untouched")
        .isEqualTo(leader);
    for (String name : List.of("a", "b", "c", "d")) {
      assertThat(testbed.unitProperty(name, "ActiveState")).as(name).isEqualTo("active");
    }
    repo.write("apps/a.yaml", container("a", "resources:", "  memoryMax: 256M"));
    repo.commitAndPush("a changes while n's file is huge");
    http("POST", "/api/v1/reconcile", "", null);
    Await.until(
        "the other containers' changes still apply",
        Duration.ofSeconds(30),
        () -> {
          try {
            return testbed
                .exec(
                    "systemctl",
                    "show",
                    "--property=MemoryMax",
                    "--value",
                    "systemd-nspawn@a.service")
                .out()
                .strip()
                .equals("268435456");
          } catch (Exception e) {
            return false;
          }
        });

    testbed.exec("rm", "-f", planted).orFail("removing the huge file");
    repo.delete("apps/n.yaml");
    repo.commitAndPush("n goes");
    http("POST", "/api/v1/reconcile", "", null);
    Await.until("n is removed", Duration.ofSeconds(30), () -> !testbed.running("n").getAsBoolean());
  }

  @Test
  @Order(11)
  void aForcePushToOlderHistoryIsRefusedUntilAllowRewindSaysSo() throws Exception {
    String before = repo.head();
    repo.write("apps/r.yaml", container("r"));
    String withR = repo.commitAndPush("r");
    http("POST", "/api/v1/reconcile", "", null);
    Await.until("r runs", Duration.ofSeconds(30), testbed.running("r"));
    // The pass records its revision once it has applied everything, a moment after r started.
    Await.until("the pass records " + withR, Duration.ofSeconds(30), appliedRevisionIs(withR));

    repo.forcePush(before);
    http("POST", "/api/v1/reconcile", "", null);

    Await.until(
        "the rewind is refused",
        Duration.ofSeconds(30),
        () -> status().contains("RewindRefused") && status().contains(before));
    assertThat(status()).contains("does not descend from " + withR);
    assertThat(testbed.unitProperty("r", "ActiveState"))
        .as("nothing changed: r keeps running")
        .isEqualTo("active");
    assertThat(metrics())
        .contains("berth_source_fetch_total{remote=\"primary\",result=\"RewindRefused\"}");
    http("POST", "/api/v1/reconcile", "", null);
    Thread.sleep(1000);
    assertThat(testbed.unitProperty("r", "ActiveState"))
        .as("still refused at the next pass")
        .isEqualTo("active");

    // The operator means it: allowRewind, one restart, and the older history is applied.
    agent.configure(CONFIG.source("allowRewind: true"));
    restartAgent();
    Await.until(
        "r is pruned with the rewound history",
        Duration.ofSeconds(60),
        () -> !testbed.running("r").getAsBoolean());
    Await.until("the pass records " + before, Duration.ofSeconds(30), appliedRevisionIs(before));

    agent.configure(CONFIG);
    restartAgent();
    assertThat(status()).doesNotContain("RewindRefused");
  }

  private BooleanSupplier appliedRevisionIs(String commit) {
    return () -> {
      try {
        return testbed.exec("cat", "/var/lib/berth/applied-revision").out().startsWith(commit);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    };
  }

  private void restartAgent() throws Exception {
    agent.stop();
    testbed.exec("systemctl", "reset-failed", agent.unit());
    startAgent();
  }

  @Test
  @Order(13)
  void withASignaturePolicyAnUnsignedCommitIsRefusedAndASignedOneApplied() throws Exception {
    Path gnupg = Files.createDirectories(work.resolve("gnupg"));
    Files.setPosixFilePermissions(
        gnupg, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
    run(
        gnupg,
        "gpg",
        "--batch",
        "--passphrase",
        "",
        "--quick-generate-key",
        "berth e2e <e2e@berth.invalid>",
        "ed25519",
        "sign",
        "never");
    String fingerprint =
        run(gnupg, "gpg", "--batch", "--with-colons", "--list-secret-keys")
            .lines()
            .filter(line -> line.startsWith("fpr:"))
            .findFirst()
            .orElseThrow()
            .split(":")[9];
    Files.write(
        work.resolve("trusted.gpg"), runBytes(gnupg, "gpg", "--batch", "--export", fingerprint));
    agent.stop();
    // A unit of its own: the first agent's name may stay loaded for a while after its stop.
    TestbedAgent verifying = new TestbedAgent(testbed, work).uncollected().withDefaultKillMode();
    verifying.configure(
        CONFIG.source(
            "verify:", "  keyring: /opt/e2e/trusted.gpg", "  allowedKeys: [" + fingerprint + "]"));
    repo.write("apps/e.yaml", container("e"));
    String unsigned = repo.commitAndPush("e, unsigned");
    verifying.launch();

    Await.until(
        "the unsigned commit is refused",
        Duration.ofSeconds(60),
        () -> status().contains("SignatureRefused") && status().contains(unsigned));
    assertThat(testbed.unitProperty("e", "ActiveState")).isNotEqualTo("active");
    assertThat(testbed.unitProperty("a", "ActiveState")).isEqualTo("active");

    repo.commitSignedAndPush("e, signed", gnupg, fingerprint);
    http("POST", "/api/v1/reconcile", "", null);
    Await.until("e runs", Duration.ofSeconds(60), testbed.running("e"));
    assertThat(status()).doesNotContain("SignatureRefused");
  }

  private static String run(Path gnupgHome, String... command) throws Exception {
    return new String(runBytes(gnupgHome, command), StandardCharsets.UTF_8);
  }

  private static byte[] runBytes(Path gnupgHome, String... command) throws Exception {
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().put("GNUPGHOME", gnupgHome.toString());
    Process process = builder.redirectError(ProcessBuilder.Redirect.DISCARD).start();
    byte[] out = process.getInputStream().readAllBytes();
    assertThat(process.waitFor(60, TimeUnit.SECONDS) && process.exitValue() == 0)
        .as(String.join(" ", command))
        .isTrue();
    return out;
  }

  @Test
  @Order(9)
  void metricsPassPromtool() throws Exception {
    String metrics = metrics();
    assertThat(metrics).startsWith("200");
    PromtoolCheck.assertClean(work, metrics.substring(4));
    assertThat(metrics)
        .contains("berth_container_info{")
        .contains("berth_container_drifted{")
        .contains("berth_source_revision_info{")
        .contains("berth_build_info{");
  }

  @Test
  @Order(12)
  void aCommitThatBreaksAContainerIsRolledBackReportedAndNotRetriedAtTheNextPoll()
      throws Exception {
    String[] health = {
      "health:", "  command: [/bin/busybox, test, -e, /etc/inittab]", "  timeoutSec: 20"
    };
    repo.write("apps/h.yaml", container("h", with(health, "capabilities: [CAP_CHOWN]")));
    repo.commitAndPush("h");
    http("POST", "/api/v1/reconcile", "", null);
    Await.until("h runs", Duration.ofSeconds(60), testbed.running("h"), this::diagnostics);
    String good = testbed.exec("cat", "/etc/systemd/nspawn/h.nspawn").orFail("h.nspawn").out();

    repo.write(
        "apps/h.yaml",
        image.container(
            "h",
            with(
                health,
                "capabilities: [CAP_CHOWN]",
                "nspawn:",
                "  Exec:",
                "    KillSignal: SIGUSR2",
                "    WorkingDirectory: /does-not-exist")));
    String broken = repo.commitAndPush("h dies at boot");
    http("POST", "/api/v1/reconcile", "", null);

    Await.until(
        "h is rolled back",
        Duration.ofSeconds(60),
        () -> status().contains("\"RolledBack\"") && status().contains(broken));
    assertThat(testbed.unitProperty("h", "ActiveState")).isEqualTo("active");
    assertThat(testbed.exec("cat", "/etc/systemd/nspawn/h.nspawn").out()).isEqualTo(good);
    assertThat(metrics()).contains("berth_rollbacks_total{container=\"h\"} 1.0");
    assertThat(testbed.exec("journalctl", "-u", agent.unit(), "--no-pager").out())
        .contains("msg=\"container rolled back\" container=h");
    assertThat(http("GET", "/api/v1/events", null, null))
        .containsPattern("\"type\" : \"rolledBack\",\\s*\"container\" : \"h\"");
    assertThat(
            testbed
                .exec("java", "-jar", "/opt/berth/berth.jar", "events")
                .orFail("berth events")
                .out())
        .containsPattern(
            "rolledBack +h +" + broken.substring(0, 7) + " +.*rolled back to generation 1");
    String pid =
        testbed
            .exec("systemctl", "show", "--property=MainPID", "--value", "systemd-nspawn@h.service")
            .out();

    repo.write("apps/other.yaml", container("other"));
    repo.commitAndPush("another container: h's files stay the same");
    http("POST", "/api/v1/reconcile", "", null);
    Await.until("other runs", Duration.ofSeconds(60), testbed.running("other"));
    assertThat(status()).contains("it keeps generation");
    assertThat(
            testbed
                .exec(
                    "systemctl",
                    "show",
                    "--property=MainPID",
                    "--value",
                    "systemd-nspawn@h.service")
                .out())
        .as("h is not retried at the next poll")
        .isEqualTo(pid);
    assertThat(metrics()).contains("berth_rollbacks_total{container=\"h\"} 1.0");

    repo.write("apps/h.yaml", container("h", with(health, "capabilities: [CAP_KILL]")));
    repo.commitAndPush("h fixed");
    http("POST", "/api/v1/reconcile", "", null);
    Await.until(
        "the fix applies",
        Duration.ofSeconds(60),
        () -> {
          try {
            return testbed.exec("cat", "/etc/systemd/nspawn/h.nspawn").out().contains("CAP_KILL");
          } catch (Exception e) {
            return false;
          }
        });
    Await.until("h runs its fix", Duration.ofSeconds(60), testbed.running("h"));
    Await.until(
        "h is ready again", Duration.ofSeconds(30), () -> !status().contains("\"RolledBack\""));
  }

  /** The agent's status and the end of its journal, for a failed wait. */
  private String diagnostics() {
    try {
      return "\nstatus: "
          + status()
          + "\njournal:\n"
          + testbed.exec("journalctl", "-u", agent.unit(), "-n", "40", "--no-pager").out();
    } catch (Exception e) {
      return "\n(no diagnostics: " + e + ")";
    }
  }

  private static String[] with(String[] base, String... more) {
    String[] out = java.util.Arrays.copyOf(base, base.length + more.length);
    System.arraycopy(more, 0, out, base.length, more.length);
    return out;
  }
}
