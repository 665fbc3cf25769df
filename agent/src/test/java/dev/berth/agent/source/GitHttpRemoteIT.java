package dev.berth.agent.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.sun.net.httpserver.HttpServer;
import dev.berth.agent.source.SourceFailure.Reason;
import dev.berth.agent.source.SourceSettings.Auth;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How HTTP remotes fail: a server that wants credentials, no repository, no answer at all. */
class GitHttpRemoteIT {
  @TempDir Path temp;

  @Test
  void aServerThatWantsCredentialsIsAnAuthenticationFailure() throws Exception {
    HttpServer server = server(401);
    try (GitSource source = source("http://127.0.0.1:" + port(server) + "/fleet.git", 10)) {
      SourceFailure failure = catchThrowableOfType(source::poll, SourceFailure.class);

      assertThat(failure.reason()).isEqualTo(Reason.AUTH_FAILED);
      assertThat(failure.getMessage()).contains("source.auth");
      GitSourceIT.assertOneLine(failure);
    } finally {
      server.stop(0);
    }
  }

  @Test
  void aServerWithoutTheRepositoryIsUnreachable() throws Exception {
    HttpServer server = server(404);
    try (GitSource source = source("http://127.0.0.1:" + port(server) + "/fleet.git", 10)) {
      SourceFailure failure = catchThrowableOfType(source::poll, SourceFailure.class);

      assertThat(failure.reason()).isEqualTo(Reason.UNREACHABLE);
      assertThat(failure.getMessage()).contains("/fleet.git").contains("source.url");
    } finally {
      server.stop(0);
    }
  }

  @Test
  void aServerThatNeverAnswersTimesOutAfterTheConfiguredTimeout() throws Exception {
    // Connections complete in the kernel's backlog, but nobody ever reads or writes.
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        GitSource source = source("http://127.0.0.1:" + silent.getLocalPort() + "/x.git", 1)) {
      long start = System.nanoTime();
      SourceFailure failure = catchThrowableOfType(source::poll, SourceFailure.class);
      long seconds = Duration.ofNanos(System.nanoTime() - start).toSeconds();

      assertThat(failure.reason()).isEqualTo(Reason.UNREACHABLE);
      assertThat(failure.getMessage()).contains("within 1s");
      assertThat(seconds).isLessThan(10);
    }
  }

  private GitSource source(String url, int timeoutSeconds) {
    return new GitSource(
        new SourceSettings(
            url,
            GitSourceIT.branch("main"),
            null,
            Duration.ofSeconds(timeoutSeconds),
            Auth.NONE,
            null),
        temp.resolve("cache"));
  }

  private static HttpServer server(int status) throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        exchange -> {
          if (status == 401) {
            exchange.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"git\"");
          }
          exchange.sendResponseHeaders(status, -1);
          exchange.close();
        });
    server.start();
    return server;
  }

  private static int port(HttpServer server) {
    return server.getAddress().getPort();
  }
}
