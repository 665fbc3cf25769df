package dev.berth.agent.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * helm-free-deploy/install.sh on a real systemd host, as an operator runs it: it refuses without
 * Java, installs and starts the agent, changes nothing when run again, keeps an edited
 * configuration, installs berth's bash completion, and --uninstall removes what it installed but
 * never container state.
 */
class InstallScriptE2E {
  private static final Path JAR_DIR = Path.of("target");
  private static final Path DEPLOY = Path.of("..", "helm-free-deploy");
  private static final String INSTALL = "/opt/e2e/deploy/install.sh --jar /opt/berth/berth.jar";
  private static final String COMPLETION = "/usr/share/bash-completion/completions/berth";

  @Test
  void installsStartsIsIdempotentAndUninstallsWithoutTouchingContainerState() throws Exception {
    Path work = Files.createTempDirectory("berth-install-e2e");
    Path deploy = Files.createDirectories(work.resolve("deploy"));
    for (String file : List.of("install.sh", "berth-agent.service", "agent.yaml")) {
      Files.copy(
          DEPLOY.resolve(file),
          deploy.resolve(file),
          java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
    }
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
      // /usr is the build machine's, read-only: an overlay makes it writable in this host only.
      testbed
          .sh(
              "mkdir -p /run/usr/upper /run/usr/work && mount -t overlay overlay"
                  + " -o lowerdir=/usr,upperdir=/run/usr/upper,workdir=/run/usr/work /usr")
          .orFail("making /usr writable");

      Testbed.Result help = testbed.sh("/opt/e2e/deploy/install.sh --help");
      assertThat(help.exitCode()).isZero();
      assertThat(help.out()).contains("Usage: install.sh", "--uninstall", "--install-java");

      // Without Java it stops, says what to do, and installs nothing.
      testbed.sh("rm /usr/bin/java").orFail("hiding java");
      Testbed.Result noJava = testbed.sh(INSTALL + " --config /opt/e2e/agent.yaml");
      assertThat(noJava.exitCode()).isEqualTo(1);
      assertThat(noJava.err())
          .contains(
              "berth needs Java 17 or newer at /usr/bin/java, found no /usr/bin/java;"
                  + " install it (apt-get install openjdk-17-jre-headless)"
                  + " or run install.sh --install-java");
      assertThat(exists(testbed, "/usr/lib/berth")).isFalse();
      assertThat(exists(testbed, "/etc/systemd/system/berth-agent.service")).isFalse();
      testbed.sh("ln -s /etc/alternatives/java /usr/bin/java").orFail("restoring java");

      Testbed.Result first = testbed.sh(INSTALL + " --config /opt/e2e/agent.yaml");
      assertThat(first.exitCode()).as(first.out() + first.err()).isZero();
      assertThat(first.out())
          .contains(
              "installed /usr/lib/berth/berth.jar",
              "installed /etc/systemd/system/berth-agent.service",
              "installed /etc/berth/agent.yaml",
              "installed " + COMPLETION,
              "starting berth-agent");
      // The jar's own completion script, where bash-completion looks for berth's.
      assertThat(testbed.sh("cat " + COMPLETION).out())
          .contains("complete -F _complete_berth")
          .contains("status")
          .contains("logs");
      assertThat(show(testbed, "ActiveState")).isEqualTo("active");
      assertThat(show(testbed, "UnitFileState")).isEqualTo("enabled");
      // Type=notify: the start returned after the first pass, so the agent answers at once.
      assertThat(get(testbed, "/healthz")).isEqualTo("ok");
      assertThat(get(testbed, "/readyz")).isEqualTo("ready");
      // The control API on the unit's RuntimeDirectory, /run/berth/agent.sock.
      assertThat(testbed.agentApi("GET", "/api/v1/status"))
          .startsWith("200 ")
          .contains("\"file:///opt/e2e/repo.git\"");

      // The operator edits the configuration; the install run again changes nothing.
      testbed.sh("echo '# tuned by the operator' >> /etc/berth/agent.yaml").orFail("editing");
      String invocation = show(testbed, "InvocationID");
      Testbed.Result again = testbed.sh(INSTALL + " --config /opt/e2e/agent.yaml");
      assertThat(again.exitCode()).as(again.out() + again.err()).isZero();
      assertThat(again.out())
          .contains(
              "unchanged /usr/lib/berth/berth.jar",
              "unchanged /etc/systemd/system/berth-agent.service",
              "unchanged " + COMPLETION,
              "kept /etc/berth/agent.yaml (it exists and is not overwritten)",
              "berth-agent is running and up to date")
          .doesNotContain("installed ");
      assertThat(show(testbed, "InvocationID")).isEqualTo(invocation);
      assertThat(testbed.sh("cat /etc/berth/agent.yaml").out()).contains("tuned by the operator");

      // A container's state, which no uninstall may touch.
      testbed
          .sh("mkdir -p /var/lib/machines/web/etc && echo mine > /var/lib/machines/web/etc/data")
          .orFail("making container state");
      Testbed.Result removed = testbed.sh("/opt/e2e/deploy/install.sh --uninstall");
      assertThat(removed.exitCode()).as(removed.out() + removed.err()).isZero();
      assertThat(removed.out())
          .contains(
              "stopped and disabled berth-agent",
              "removed /etc/systemd/system/berth-agent.service",
              "removed /usr/lib/berth/berth.jar",
              "removed " + COMPLETION,
              "kept /etc/berth/agent.yaml");
      assertThat(show(testbed, "LoadState")).isEqualTo("not-found");
      assertThat(show(testbed, "ActiveState")).isEqualTo("inactive");
      assertThat(exists(testbed, "/usr/lib/berth")).isFalse();
      assertThat(exists(testbed, "/etc/systemd/system/berth-agent.service")).isFalse();
      assertThat(exists(testbed, COMPLETION)).isFalse();
      assertThat(testbed.sh("cat /etc/berth/agent.yaml").out()).contains("tuned by the operator");
      assertThat(testbed.sh("cat /var/lib/machines/web/etc/data").out()).isEqualTo("mine\n");
      assertThat(exists(testbed, "/var/lib/berth/git")).isTrue();
      assertThat(get(testbed, "/healthz")).isEmpty();
      Testbed.Result removedAgain = testbed.sh("/opt/e2e/deploy/install.sh --uninstall");
      assertThat(removedAgain.exitCode()).as(removedAgain.err()).isZero();

      // With no configuration of the operator's, the sample goes in and nothing starts; an
      // unedited sample is removed again by --uninstall.
      testbed.sh("rm -r /etc/berth").orFail("removing the operator's configuration");
      Testbed.Result sample = testbed.sh(INSTALL);
      assertThat(sample.exitCode()).as(sample.out() + sample.err()).isZero();
      assertThat(sample.out())
          .contains("installed /etc/berth/agent.yaml", "/etc/berth/agent.yaml is the sample");
      assertThat(show(testbed, "ActiveState")).isEqualTo("inactive");
      assertThat(show(testbed, "UnitFileState")).isEqualTo("disabled");
      Testbed.Result clean = testbed.sh("/opt/e2e/deploy/install.sh --uninstall");
      assertThat(clean.out()).contains("removed /etc/berth/agent.yaml (as install.sh wrote it)");
      assertThat(exists(testbed, "/etc/berth")).isFalse();
      assertThat(testbed.sh("cat /var/lib/machines/web/etc/data").out()).isEqualTo("mine\n");
    }
  }

  private static boolean exists(Testbed testbed, String path) throws Exception {
    return testbed.exec("test", "-e", path).exitCode() == 0;
  }

  private static String show(Testbed testbed, String property) throws Exception {
    return testbed
        .exec("systemctl", "show", "-p", property, "--value", "berth-agent")
        .out()
        .strip();
  }

  private static String get(Testbed testbed, String path) throws Exception {
    return testbed
        .sh("busybox wget -q -O - http://127.0.0.1:9480" + path + " 2>/dev/null")
        .out()
        .strip();
  }
}
