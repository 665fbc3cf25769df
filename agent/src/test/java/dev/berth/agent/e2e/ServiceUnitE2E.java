package dev.berth.agent.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The shipped berth-agent.service on a real systemd host: it verifies, starts and serves. */
class ServiceUnitE2E {
  private static final Path JAR_DIR = Path.of("target");

  @Test
  void theUnitVerifiesStartsAndBecomesReady() throws Exception {
    Path work = Files.createTempDirectory("berth-unit-e2e");
    Files.copy(
        Path.of("..", "helm-free-deploy", "berth-agent.service"),
        work.resolve("berth-agent.service"));
    GitRepo repo = GitRepo.create(work);
    repo.write("README.md", "no manifests yet\n");
    repo.commitAndPush("empty");
    Files.writeString(
        work.resolve("agent.yaml"),
        """
        apiVersion: berth.dev/v1alpha1
        kind: AgentConfig
        source:
          url: file:///opt/e2e/repo.git
        """);
    try (Testbed testbed = Testbed.boot(JAR_DIR, work)) {
      testbed
          .sh(
              "cp /opt/e2e/berth-agent.service /etc/systemd/system/ && mkdir -p /etc/berth"
                  + " && cp /opt/e2e/agent.yaml /etc/berth/agent.yaml")
          .orFail("installing the unit");
      Testbed.Result verify =
          testbed.exec("systemd-analyze", "verify", "/etc/systemd/system/berth-agent.service");
      assertThat(verify.exitCode()).as(verify.out() + verify.err()).isZero();
      assertThat(verify.err()).doesNotContain("berth-agent.service:");

      // /usr is the build machine's, read-only: point the unit's jar at the built one.
      testbed
          .sh(
              "mkdir -p /etc/systemd/system/berth-agent.service.d && printf '[Service]\\nExecStart=\\n"
                  + "ExecStart=/usr/bin/java -XX:+UseSerialGC -Xmx128m -jar /opt/berth/berth.jar agent"
                  + " --config /etc/berth/agent.yaml\\n' > /etc/systemd/system/berth-agent.service.d/e2e.conf"
                  + " && systemctl daemon-reload && systemctl start berth-agent")
          .orFail("starting berth-agent");
      long deadline = System.nanoTime() + 60_000_000_000L;
      String ready = "";
      while (System.nanoTime() < deadline && !ready.equals("ready")) {
        ready =
            testbed
                .sh("busybox wget -q -O - http://127.0.0.1:9480/readyz 2>/dev/null")
                .out()
                .strip();
        Thread.sleep(200);
      }
      assertThat(ready)
          .as(testbed.exec("journalctl", "-u", "berth-agent", "--no-pager").out())
          .isEqualTo("ready");
      assertThat(testbed.exec("systemctl", "is-active", "berth-agent").out().strip())
          .isEqualTo("active");
      assertThat(testbed.exec("test", "-d", "/var/lib/berth/git").exitCode()).isZero();
    }
  }
}
