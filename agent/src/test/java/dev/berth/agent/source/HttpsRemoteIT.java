package dev.berth.agent.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.berth.agent.images.HostImageInstaller;
import dev.berth.agent.images.TestTarballs;
import dev.berth.agent.source.SourceFailure.Reason;
import dev.berth.agent.source.SourceSettings.Auth;
import dev.berth.agent.tls.TestCa;
import dev.berth.reconciler.model.Container;
import dev.berth.reconciler.testing.ContainerYaml;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTPS for real: the real {@code git http-backend} behind the JDK's HTTPS server on 127.0.0.1,
 * whose certificate a CA made by the test signed and which wants a token. berth's own GitSource
 * fetches from it with the token of {@code source.auth.tokenFile} and the CA of {@code
 * source.caFile}; the same server serves a tarball image that the image installer fetches and
 * checks.
 */
class HttpsRemoteIT {
  private static final String TOKEN = "s3cr3t-t0ken-4711";

  @TempDir Path temp;

  private GitHttpBackend server;
  private String head;
  private Path caFile;
  private Path otherCaFile;
  private Path tarball;

  @BeforeEach
  void setUp() throws Exception {
    GitRepo repo = GitRepo.init(temp.resolve("served").resolve("fleet"));
    head = repo.write("web.yaml", "a\n").commit("one");
    TestCa ca = TestCa.create("berth test CA");
    caFile = ca.writePem(temp.resolve("ca.pem"));
    otherCaFile = TestCa.create("another CA").writePem(temp.resolve("other-ca.pem"));
    server = GitHttpBackend.serveHttps(temp.resolve("served"), ca.serverContext(), TOKEN);
    tarball =
        TestTarballs.write(
            temp.resolve("base.tar"),
            new TreeMap<>(Map.of("etc/os-release", "ID=busybox\n", "marker", "from https\n")));
    server.serveFile("/images/base.tar", tarball);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void theTokenOfTokenFileFetchesOverHttpsFromAServerWhoseCaIsInCaFile() throws Exception {
    Path tokenFile = Files.writeString(temp.resolve("token"), TOKEN + "\n");
    try (GitSource source = source(tokenFile, caFile)) {
      SourceRevision revision = source.poll();

      assertThat(revision.commit()).isEqualTo(head);
      assertThat(GitSourceIT.paths(revision)).containsExactly("web.yaml");
    }
    // The token went with the first request (preemptive Basic auth): no 401 challenge first.
    assertThat(server.refused()).isZero();
    assertThat(server.requests()).isPositive();
  }

  @Test
  void pollsWithCaFileKeepOneTlsConnectionAliveInsteadOfAHandshakeForEachRequest()
      throws Exception {
    Path tokenFile = Files.writeString(temp.resolve("token"), TOKEN + "\n");
    int polls = 10;
    try (GitSource source = source(tokenFile, caFile)) {
      for (int i = 0; i < polls; i++) {
        assertThat(source.poll().commit()).isEqualTo(head);
      }
    }

    // A TLS context per connection (JGit's HttpConnection.configure) made the JDK open a new
    // connection, with a full handshake, for each request of a poll. An unchanged poll is two
    // requests (the v2 capabilities and ls-refs); waiting for a 401 challenge first made it three.
    assertThat(server.refused()).isZero();
    assertThat(server.requests()).isBetween(2L * polls, 3L * polls - 1);
    assertThat(server.connections()).isEqualTo(1);
  }

  @Test
  void aWrongTokenIsAnAuthenticationFailureThatNeverShowsTheToken() throws Exception {
    String wrong = "wr0ng-t0ken-0815";
    Path tokenFile = Files.writeString(temp.resolve("token"), wrong + "\n");
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    SourceFailure failure;
    try (GitSource source = source(tokenFile, caFile)) {
      failure = printedTo(printed, () -> catchThrowableOfType(source::poll, SourceFailure.class));
    }

    assertThat(failure.reason()).isEqualTo(Reason.AUTH_FAILED);
    assertThat(failure.reason().camelCase()).isEqualTo("AuthenticationFailed");
    assertThat(failure.getMessage())
        .startsWith("authentication to " + server.url("fleet") + " failed")
        .contains("not authorized")
        .endsWith("check source.auth");
    GitSourceIT.assertOneLine(failure);
    assertThat(server.refused()).isPositive();
    for (String secret : List.of(wrong, TOKEN)) {
      assertThat(everything(failure)).doesNotContain(secret);
      assertThat(printed.toString(StandardCharsets.UTF_8)).doesNotContain(secret);
    }
  }

  @Test
  void aServerWhoseCaIsUnknownIsRefusedBeforeTheTokenIsSent() throws Exception {
    Path tokenFile = Files.writeString(temp.resolve("token"), TOKEN + "\n");
    for (Path trusted : new Path[] {null, otherCaFile}) {
      try (GitSource source = source(tokenFile, trusted)) {
        SourceFailure failure = catchThrowableOfType(source::poll, SourceFailure.class);

        assertThat(failure.reason()).as("trusting %s", trusted).isEqualTo(Reason.AUTH_FAILED);
        assertThat(failure.getMessage())
            .startsWith(
                "the TLS certificate of "
                    + server.url("fleet")
                    + " is not issued by a CA this host trusts (")
            .endsWith("name its CA's PEM file in source.caFile");
        GitSourceIT.assertOneLine(failure);
        assertThat(everything(failure)).doesNotContain(TOKEN);
      }
    }
    assertThat(server.requests()).as("no request got past the TLS handshake").isZero();
  }

  @Test
  void anHttpsTarballOfTheSameServerIsFetchedWithCaFileAndItsSha256Checked() throws Exception {
    HostImageInstaller installer =
        new HostImageInstaller(temp.resolve("host"), temp.resolve("images"), caFile);

    String done = installer.install(container(TestTarballs.sha256(tarball)));

    assertThat(done).contains("unpacked 2 entries");
    assertThat(temp.resolve("host/var/lib/machines/web/marker")).hasContent("from https\n");
    assertThat(temp.resolve("images/" + TestTarballs.sha256(tarball) + ".tar"))
        .hasSameBinaryContentAs(tarball);
  }

  @Test
  void anHttpsTarballWithAnotherSha256IsRefusedAndNothingIsUnpacked() throws Exception {
    HostImageInstaller installer =
        new HostImageInstaller(temp.resolve("host"), temp.resolve("images"), caFile);
    String wrong = "f".repeat(64);

    IOException refused =
        catchThrowableOfType(() -> installer.install(container(wrong)), IOException.class);

    assertThat(refused)
        .hasMessage(
            "sha256 mismatch for "
                + server.url("images/base.tar")
                + ": expected "
                + wrong
                + ", got "
                + TestTarballs.sha256(tarball)
                + "; nothing was unpacked");
    assertThat(temp.resolve("host/var/lib/machines/web/marker")).doesNotExist();
    assertThat(temp.resolve("images/" + wrong + ".tar")).doesNotExist();
  }

  @Test
  void anHttpsTarballFromAServerWhoseCaIsUnknownIsRefused() throws Exception {
    HostImageInstaller installer =
        new HostImageInstaller(temp.resolve("host"), temp.resolve("images"), otherCaFile);

    IOException refused =
        catchThrowableOfType(
            () -> installer.install(container(TestTarballs.sha256(tarball))), IOException.class);

    assertThat(refused)
        .hasMessageStartingWith(
            "the TLS certificate of "
                + server.url("images/base.tar")
                + " is not issued by a CA this host trusts (")
        .hasMessageEndingWith("name its CA's PEM file in source.caFile");
    assertThat(temp.resolve("host/var/lib/machines/web/marker")).doesNotExist();
    assertThat(server.requests()).isZero();
  }

  private GitSource source(Path tokenFile, Path trusted) {
    return new GitSource(
        new SourceSettings(
            server.url("fleet"),
            List.of(),
            GitSourceIT.branch("main"),
            null,
            Duration.ofSeconds(20),
            new Auth(null, null, tokenFile),
            null,
            false,
            trusted),
        temp.resolve("cache"));
  }

  private Container container(String sha256) {
    return ContainerYaml.containers(
            ContainerYaml.container("web").tarball(server.url("images/base.tar"), sha256))
        .get(0);
  }

  private interface Action<T> {
    T run() throws Exception;
  }

  // What the code under test prints while it runs, besides returning.
  private static <T> T printedTo(ByteArrayOutputStream sink, Action<T> action) throws Exception {
    PrintStream out = System.out;
    PrintStream err = System.err;
    PrintStream capture = new PrintStream(sink, true, StandardCharsets.UTF_8);
    System.setOut(capture);
    System.setErr(capture);
    try {
      return action.run();
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
  }

  // Every message and type of a failure's chain, as a status or a log with --debug shows them.
  private static String everything(Throwable failure) {
    StringBuilder text = new StringBuilder();
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      text.append(t).append('\n');
      for (Throwable suppressed : t.getSuppressed()) {
        text.append(suppressed).append('\n');
      }
    }
    return text.toString();
  }
}
