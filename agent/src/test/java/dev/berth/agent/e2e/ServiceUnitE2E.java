package dev.berth.agent.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The shipped berth-agent.service on a real systemd host: it verifies; systemd reports it active
 * only once the agent has said READY=1 after its first pass; the watchdog is armed; and a pass
 * stuck for real (in JGit, reading a FIFO where the repository's packed refs should be) stops the
 * pings, so that systemd kills the agent and starts it again.
 */
class ServiceUnitE2E {
  private static final Path JAR_DIR = Path.of("target");
  private static final Path UNIT = Path.of("..", "helm-free-deploy", "berth-agent.service");
  private static final String DROP_IN_DIR = "/etc/systemd/system/berth-agent.service.d";

  @Test
  void theUnitVerifiesIsReadyAfterTheFirstPassAndItsWatchdogRestartsAStuckAgent() throws Exception {
    Path work = Files.createTempDirectory("berth-unit-e2e");
    Files.copy(UNIT, work.resolve("berth-agent.service"));
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
          interval: 2s
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
      assertThat(
              testbed
                  .exec(
                      "systemctl",
                      "show",
                      "-p",
                      "Type,NotifyAccess,WatchdogSignal,Restart",
                      "berth-agent")
                  .out())
          .contains("Type=notify", "NotifyAccess=main", "WatchdogSignal=9", "Restart=on-failure");

      // /usr is the build machine's, read-only: the shipped command line with the built jar.
      writeDropIn(testbed, "jar.conf", "[Service]\nExecStart=\nExecStart=" + execStart() + "\n");
      testbed.sh("systemctl start --no-block berth-agent").orFail("starting berth-agent");
      String state = awaitActive(testbed);
      assertThat(state).as(journal(testbed)).isEqualTo("active");
      // Active means READY=1 came, which the agent sends only once its first pass has ended:
      // the JVM had been running a while by then, and the agent answers ready at once.
      assertThat(get(testbed, "/readyz")).as(journal(testbed)).isEqualTo("ready");
      long started = Long.parseLong(show(testbed, "ExecMainStartTimestampMonotonic"));
      long active = Long.parseLong(show(testbed, "ActiveEnterTimestampMonotonic"));
      assertThat(active - started).as("µs from exec to active").isGreaterThan(300_000);
      // systemd shows the watchdog in force only while the service runs.
      assertThat(show(testbed, "WatchdogUSec")).isEqualTo("2min");
      assertThat(testbed.exec("systemctl", "show", "-p", "StatusText", "berth-agent").out())
          .contains("StatusText=last pass success at revision ");
      assertThat(testbed.exec("test", "-d", "/var/lib/berth/git").exitCode()).isZero();

      // A short watchdog and stall limit, then a pass that hangs in the Git source.
      writeDropIn(
          testbed,
          "watchdog.conf",
          "[Service]\nWatchdogSec=4s\nExecStart=\nExecStart="
              + execStart()
              + " --stall-limit 3s\n");
      testbed
          .sh("systemctl daemon-reload && systemctl restart berth-agent")
          .orFail("restarting with a short watchdog");
      assertThat(testbed.exec("systemctl", "show", "-p", "WatchdogUSec", "berth-agent").out())
          .contains("WatchdogUSec=4s");
      String mainPid = show(testbed, "MainPID");
      // The poll reads the branch from the repository's ref database: a FIFO as its packed-refs
      // file makes that read wait for a writer that never comes.
      testbed
          .sh(
              "cd /opt/e2e/repo.git && { if [ -f packed-refs ]; then mv packed-refs"
                  + " /opt/e2e/packed-refs.real; else : > /opt/e2e/packed-refs.real; fi; }"
                  + " && mkfifo packed-refs")
          .orFail("putting a FIFO where the repository's packed refs are");
      long deadline = System.nanoTime() + 60_000_000_000L;
      while (System.nanoTime() < deadline && show(testbed, "NRestarts").equals("0")) {
        Thread.sleep(500);
      }
      String journal = journal(testbed);
      assertThat(show(testbed, "NRestarts")).as(journal).isEqualTo("1");
      assertThat(journal).contains("msg=\"reconcile loop stalled\" pass_running=true");
      assertThat(journal).containsPattern("pass_at=\"[^\"]*org\\.eclipse\\.jgit");
      assertThat(journal).contains("berth-agent.service: Watchdog timeout (limit 4s)!");

      // Give the restarted agent its repository back (feeding a reader that may wait already).
      testbed
          .sh(
              "timeout 3 sh -c 'cat /opt/e2e/packed-refs.real > /opt/e2e/repo.git/packed-refs';"
                  + " rm -f /opt/e2e/repo.git/packed-refs;"
                  + " mv -f /opt/e2e/packed-refs.real /opt/e2e/repo.git/packed-refs")
          .orFail("restoring the repository's packed refs");
      assertThat(awaitActive(testbed)).as(journal(testbed)).isEqualTo("active");
      assertThat(get(testbed, "/readyz")).isEqualTo("ready");
      assertThat(show(testbed, "MainPID")).isNotEqualTo(mainPid);
    }
  }

  /** The unit's ExecStart=, continuation lines joined, with the jar the build made. */
  private static String execStart() throws Exception {
    Matcher line =
        Pattern.compile("(?m)^ExecStart=((?:.*\\\\\\n)*.*)$").matcher(Files.readString(UNIT));
    assertThat(line.find()).as("ExecStart= in " + UNIT).isTrue();
    String command = line.group(1).replaceAll("\\\\\\n\\s*", "");
    assertThat(command).contains("/usr/lib/berth/berth.jar");
    return command.replace("/usr/lib/berth/berth.jar", "/opt/berth/berth.jar");
  }

  private static void writeDropIn(Testbed testbed, String name, String content) throws Exception {
    String file = DROP_IN_DIR + "/" + name;
    testbed
        .exec(
            "sh",
            "-c",
            "mkdir -p "
                + DROP_IN_DIR
                + " && printf '%s' \"$1\" > "
                + file
                + " && systemctl daemon-reload",
            "sh",
            content)
        .orFail("writing " + file);
  }

  /** Waits until the unit is active (or gave up starting); returns its ActiveState. */
  private static String awaitActive(Testbed testbed) throws Exception {
    long deadline = System.nanoTime() + 90_000_000_000L;
    String state = show(testbed, "ActiveState");
    while (System.nanoTime() < deadline && !state.equals("active") && !state.equals("failed")) {
      Thread.sleep(100);
      state = show(testbed, "ActiveState");
    }
    return state;
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

  private static String journal(Testbed testbed) throws Exception {
    return testbed.exec("journalctl", "-u", "berth-agent", "--no-pager").out();
  }
}
