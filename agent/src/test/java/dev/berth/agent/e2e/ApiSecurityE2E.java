package dev.berth.agent.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
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
 * Who may steer {@code berth agent} on a real systemd host: real users (nobody, a member of the
 * admin group, a member of the read group, root) run the real CLI against the agent's unix socket,
 * where the agent names them from SO_PEERCRED; remote tooling over TCP needs the bearer token; a
 * replayed webhook delivery triggers one pass only.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ApiSecurityE2E {
  private static final Path JAR_DIR = Path.of("target");
  private static final String SECRET = "e2e-webhook-secret";
  private static final String TOKEN = "e2e-api-token-0123456789";
  private static final String BERTH = "/opt/berth/berth.jar";

  // Users and groups of this test, written into the testbed host's own /etc.
  private static final String ADMIN_GROUP = "berthadm";
  private static final int ADMIN_GID = 990;
  private static final String READ_GROUP = "berthread";
  private static final int READ_GID = 991;
  private static final int ALICE = 1000; // listed as a member of berthadm
  private static final int BOB = 1001; // berthread is his primary group

  private Path work;
  private Testbed testbed;
  private TestbedAgent agent;

  @BeforeAll
  void boot() throws Exception {
    work = Files.createTempDirectory("berth-api-e2e");
    GitRepo repo = GitRepo.create(work);
    repo.write("README.md", "no containers on this host\n");
    repo.commitAndPush("empty");
    Files.writeString(work.resolve("secret"), SECRET + "\n");
    Files.writeString(
        work.resolve("agent.yaml"),
        TestbedAgent.config()
            .source("ref: {branch: main}")
            .interval("1h")
            .resyncInterval("1h")
            .http(
                "adminGroup: berthadm",
                "readGroup: berthread",
                "tokenFile: /etc/berth/api-token",
                "webhookSecretFile: /opt/e2e/secret")
            .yaml());
    testbed = Testbed.boot(JAR_DIR, work);
    testbed
        .sh(
            "echo 'berthadm:x:990:alice' >> /etc/group"
                + " && echo 'berthread:x:991:' >> /etc/group"
                + " && echo 'alice:x:1000:' >> /etc/group"
                + " && echo 'alice:x:1000:1000::/:/bin/sh' >> /etc/passwd"
                + " && echo 'bob:x:1001:991::/:/bin/sh' >> /etc/passwd"
                + " && mkdir -p /etc/berth && umask 077"
                + " && printf '"
                + TOKEN
                + "\\n' > /etc/berth/api-token")
        .orFail("adding the users, the groups and the token");
    agent = TestbedAgent.underOneName(testbed, work).uncollected();
    agent.launch();
    Await.until(
        "the agent is ready",
        Duration.ofSeconds(60),
        () -> tcp("GET", "/readyz", null).startsWith("200"));
  }

  @AfterAll
  void shutDown() throws Exception {
    if (testbed != null) {
      testbed.close();
    }
  }

  /** The CLI as {@code uid}, primary group {@code gid}, with exactly the supplementary groups. */
  private Testbed.Result berthAs(int uid, int gid, String groups, String... arguments)
      throws Exception {
    String command =
        "setpriv --reuid="
            + uid
            + " --regid="
            + gid
            + (groups == null ? " --clear-groups" : " --groups=" + groups)
            + " java -Xshare:auto -jar "
            + BERTH
            + " "
            + String.join(" ", arguments);
    return testbed.sh("cd / && HOME=/ " + command);
  }

  private Testbed.Result berthAsRoot(String... arguments) throws Exception {
    return testbed.sh("cd / && java -jar " + BERTH + " " + String.join(" ", arguments));
  }

  private boolean suspended() {
    String status = testbed.agentApi("GET", "/api/v1/status");
    assertThat(status).startsWith("200 ");
    return status.contains("\"suspended\" : true");
  }

  /** Over TCP with curl: "CODE BODY". */
  private String tcp(String method, String path, String header) {
    try {
      String out =
          testbed
              .sh(
                  "curl -s --max-time 10 -X "
                      + method
                      + (header == null ? "" : " -H '" + header + "'")
                      + " -w '\\nCODE=%{http_code}' http://127.0.0.1:9480"
                      + path)
              .out();
      int at = out.lastIndexOf("CODE=");
      return out.substring(at + 5).strip() + " " + out.substring(0, at).strip();
    } catch (Exception e) {
      return "000 " + e.getMessage();
    }
  }

  @Test
  @Order(1)
  void theSocketIsOpenToConnectAndItsGroupIsTheAdminGroup() throws Exception {
    // With a read group the mode lets every user connect: the caller check decides each request.
    assertThat(testbed.exec("stat", "-c", "%a %G %F", Testbed.AGENT_SOCKET).out().strip())
        .isEqualTo("666 berthadm socket");
  }

  @Test
  @Order(2)
  void nobodyCannotSuspendTheAgentNorReadItsStatus() throws Exception {
    Testbed.Result suspend = berthAs(65534, 65534, null, "suspend");

    assertThat(suspend.exitCode()).isEqualTo(2);
    assertThat(suspend.err().strip())
        .isEqualTo(
            "berth: uid 65534 (nobody) may not suspend the agent: only root or members of group"
                + " berthadm");
    assertThat(suspended()).isFalse();

    Testbed.Result status = berthAs(65534, 65534, null, "status");
    assertThat(status.exitCode()).isEqualTo(2);
    assertThat(status.err().strip())
        .isEqualTo(
            "berth: uid 65534 (nobody) may not read the status of the agent: only root or"
                + " members of group berthadm or berthread");
    assertThat(berthAs(65534, 65534, null, "reconcile").exitCode()).isEqualTo(2);
  }

  @Test
  @Order(3)
  void aMemberOfTheAdminGroupSuspendsAndResumes() throws Exception {
    // alice's membership is the group database's word (berthadm lists her); her process has the
    // group too, as a login would give it.
    Testbed.Result suspend = berthAs(ALICE, ALICE, Integer.toString(ADMIN_GID), "suspend");
    assertThat(suspend.exitCode()).as(suspend.err()).isZero();
    assertThat(suspend.out().strip()).isEqualTo("suspended the agent");
    assertThat(suspended()).isTrue();

    assertThat(berthAs(ALICE, ALICE, Integer.toString(ADMIN_GID), "resume").exitCode()).isZero();
    assertThat(suspended()).isFalse();
  }

  @Test
  @Order(4)
  void aMemberOfTheReadGroupReadsTheStatusAndChangesNothing() throws Exception {
    Testbed.Result status = berthAs(BOB, READ_GID, null, "status", "--output", "json");
    assertThat(status.exitCode()).as(status.err()).isZero();
    assertThat(status.out()).contains("\"host\" : \"tb\"");

    Testbed.Result suspend = berthAs(BOB, READ_GID, null, "suspend");
    assertThat(suspend.exitCode()).isEqualTo(2);
    assertThat(suspend.err().strip())
        .isEqualTo(
            "berth: uid 1001 (bob) may not suspend the agent: only root or members of group"
                + " berthadm");
    assertThat(suspended()).isFalse();
  }

  @Test
  @Order(5)
  void rootSuspendsAndResumesOverTheSocket() throws Exception {
    assertThat(berthAsRoot("suspend").orFail("berth suspend as root").out().strip())
        .isEqualTo("suspended the agent");
    assertThat(suspended()).isTrue();
    assertThat(berthAsRoot("resume").orFail("berth resume as root").out().strip())
        .isEqualTo("resumed the agent");
    assertThat(suspended()).isFalse();
  }

  @Test
  @Order(6)
  void overTcpAChangeNeedsTheToken() throws Exception {
    assertThat(tcp("POST", "/api/v1/suspend", null))
        .startsWith("403 changes over TCP need Authorization: Bearer");
    assertThat(tcp("POST", "/api/v1/suspend", "Authorization: Bearer wrong")).startsWith("403 ");
    assertThat(tcp("GET", "/api/v1/status", null)).startsWith("403 ");
    assertThat(suspended()).isFalse();

    assertThat(tcp("POST", "/api/v1/suspend", "Authorization: Bearer " + TOKEN))
        .isEqualTo("200 suspended the agent");
    assertThat(suspended()).isTrue();

    Testbed.Result withoutToken = berthAsRoot("resume", "--agent", "http://127.0.0.1:9480");
    assertThat(withoutToken.exitCode()).isEqualTo(2);
    assertThat(withoutToken.err().strip())
        .startsWith("berth: changes over TCP need Authorization: Bearer")
        .doesNotContain("\n");
    assertThat(
            berthAsRoot(
                    "resume",
                    "--agent",
                    "http://127.0.0.1:9480",
                    "--token-file",
                    "/etc/berth/api-token")
                .orFail("berth resume over TCP with the token")
                .out()
                .strip())
        .isEqualTo("resumed the agent");
    assertThat(suspended()).isFalse();
  }

  @Test
  @Order(7)
  void aSignedWebhookDeliveryReplayedEightTimesTriggersOnePass() throws Exception {
    String body = "{\"ref\":\"refs/heads/main\",\"after\":\"e2e\"}";
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    String signature = HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
    Files.writeString(work.resolve("push.json"), body);
    String before = passLog();

    for (int i = 0; i < 9; i++) {
      // Spaced past the rate limit's refill, so that only the replay rule can stop them.
      String answer =
          testbed
              .sh(
                  "curl -s -X POST --data-binary @/opt/e2e/push.json"
                      + " -H 'X-Hub-Signature-256: sha256="
                      + signature
                      + "' -H 'X-GitHub-Delivery: delivery-"
                      + i
                      + "' -w ' CODE=%{http_code}' http://127.0.0.1:9480/hooks/github")
              .out()
              .replaceAll("\\s+", " ")
              .strip();
      assertThat(answer)
          .isEqualTo(
              i == 0 ? "reconcile triggered CODE=202" : "duplicate delivery ignored CODE=200");
      Thread.sleep(1100);
    }
    Thread.sleep(3000);

    String passes = passLog().substring(before.length());
    assertThat(passes.lines().filter(line -> line.contains("trigger=webhook:github"))).hasSize(1);
  }

  private String passLog() throws Exception {
    return testbed
        .exec("journalctl", "-u", agent.unit(), "--no-pager", "-o", "cat", "--grep", "msg=pass")
        .out();
  }
}
