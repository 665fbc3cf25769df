package dev.berth.agent.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.fail;

import dev.berth.agent.source.SourceFailure.Reason;
import dev.berth.agent.source.SourceSettings.Auth;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ssh:// remotes against a real OpenSSH server on loopback: a deploy key, and a known_hosts file
 * that is checked strictly.
 */
class GitSshRemoteIT {
  private static final Path SSHD = Path.of("/usr/sbin/sshd");

  @TempDir static Path dir;
  private static Process sshd;
  private static int port;
  private static GitRepo remote;
  private static String head;

  @BeforeAll
  static void startSshd() throws Exception {
    if (!Files.isExecutable(SSHD)) {
      fail(
          "sshd is missing: these tests fetch over ssh from a real OpenSSH server on loopback. "
              + "Install it with `apt-get install openssh-server`"
              + " (bin/install-test-deps does it).");
    }
    remote = GitRepo.init(dir.resolve("manifests"));
    head = remote.write("web.yaml", "over ssh\n").commit("first");
    for (String key : List.of("host", "other-host", "deploy", "stranger")) {
      GitRepo.run(
          dir,
          Map.of(),
          List.of(
              "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", dir.resolve(key).toString()));
    }
    Files.copy(dir.resolve("deploy.pub"), dir.resolve("authorized_keys"));
    Files.createDirectories(Path.of("/run/sshd")); // sshd's privilege separation directory
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    Files.writeString(
        dir.resolve("sshd_config"),
        String.join(
            "\n",
            "ListenAddress 127.0.0.1",
            "Port " + port,
            "HostKey " + dir.resolve("host"),
            "PidFile " + dir.resolve("sshd.pid"),
            "AuthorizedKeysFile " + dir.resolve("authorized_keys"),
            "StrictModes no",
            "PubkeyAuthentication yes",
            "PasswordAuthentication no",
            "KbdInteractiveAuthentication no",
            "UsePAM no",
            "PermitRootLogin prohibit-password",
            "LogLevel ERROR",
            ""));
    knownHosts("known_hosts", "host.pub");
    knownHosts("wrong_known_hosts", "other-host.pub");
    sshd =
        new ProcessBuilder(SSHD.toString(), "-D", "-e", "-f", dir.resolve("sshd_config").toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("sshd.log").toFile())
            .start();
    awaitPort();
  }

  @AfterAll
  static void stopSshd() throws InterruptedException {
    if (sshd != null) {
      sshd.destroy();
      sshd.waitFor(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void aDeployKeyAndAKnownHostFetch() throws Exception {
    try (GitSource source = source("deploy", "known_hosts")) {
      SourceRevision revision = source.poll();

      assertThat(revision.commit()).isEqualTo(head);
      assertThat(GitSourceIT.content(revision, "web.yaml")).isEqualTo("over ssh\n");
      assertThat(source.poll()).isSameAs(revision);
    }
  }

  @Test
  void anUnknownHostKeyIsRefused() throws Exception {
    try (GitSource source = source("deploy", "wrong_known_hosts")) {
      SourceFailure failure = catchThrowableOfType(source::poll, SourceFailure.class);

      assertThat(failure.reason()).isEqualTo(Reason.AUTH_FAILED);
      assertThat(failure.getMessage()).contains("host key").contains("knownHostsFile");
      GitSourceIT.assertOneLine(failure);
    }
  }

  @Test
  void aKeyTheServerDoesNotKnowIsAnAuthenticationFailure() throws Exception {
    try (GitSource source = source("stranger", "known_hosts")) {
      SourceFailure failure = catchThrowableOfType(source::poll, SourceFailure.class);

      assertThat(failure.reason()).isEqualTo(Reason.AUTH_FAILED);
      assertThat(failure.getMessage()).contains("authentication").contains("source.auth");
      GitSourceIT.assertOneLine(failure);
    }
  }

  @Test
  void aPortNobodyListensOnIsUnreachable() throws Exception {
    int closed;
    try (ServerSocket free = new ServerSocket(0)) {
      closed = free.getLocalPort();
    }
    String url = "ssh://root@127.0.0.1:" + closed + remote.dir();
    try (GitSource source =
        new GitSource(
            new SourceSettings(
                url,
                GitSourceIT.branch("main"),
                null,
                Duration.ofSeconds(5),
                new Auth(dir.resolve("deploy"), dir.resolve("known_hosts"), null),
                null),
            dir.resolve("cache-" + closed))) {
      SourceFailure failure = catchThrowableOfType(source::poll, SourceFailure.class);

      assertThat(failure.reason()).isEqualTo(Reason.UNREACHABLE);
      GitSourceIT.assertOneLine(failure);
    }
  }

  private static GitSource source(String key, String knownHosts) {
    String url = "ssh://root@127.0.0.1:" + port + remote.dir();
    return new GitSource(
        new SourceSettings(
            url,
            GitSourceIT.branch("main"),
            null,
            Duration.ofSeconds(10),
            new Auth(dir.resolve(key), dir.resolve(knownHosts), null),
            null),
        dir.resolve("cache-" + key + "-" + knownHosts));
  }

  private static void knownHosts(String file, String hostKey) throws IOException {
    Files.writeString(
        dir.resolve(file), "[127.0.0.1]:" + port + " " + Files.readString(dir.resolve(hostKey)));
  }

  private static void awaitPort() throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      if (!sshd.isAlive()) {
        fail("sshd exited: " + Files.readString(dir.resolve("sshd.log")));
      }
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return;
      } catch (IOException e) {
        Thread.sleep(50);
      }
    }
    fail("sshd did not listen on port " + port + ": " + Files.readString(dir.resolve("sshd.log")));
  }
}
