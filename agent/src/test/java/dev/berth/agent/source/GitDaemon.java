package dev.berth.agent.source;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code git daemon} on 127.0.0.1 serving every repository under a base directory, isolated
 * from the user's and system's Git config. It forks a child per connection and reaps it, so its CPU
 * with its children's ({@link ServerCpu}) is what the server spent.
 */
final class GitDaemon implements AutoCloseable {
  private final Process process;
  private final int port;

  private GitDaemon(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  /**
   * Serves {@code baseDir}; {@code env} adds to the daemon's environment (e.g. GIT_TRACE_PACKET,
   * which its upload-pack children inherit).
   */
  static GitDaemon serve(Path baseDir, Map<String, String> env) throws IOException {
    int port = freePort();
    // git-daemon itself: "git daemon" would run it as a child of a waiting git process, whose
    // stat holds none of the daemon's CPU until it exits.
    List<String> command =
        new ArrayList<>(
            List.of(
                execPath().resolve("git-daemon").toString(),
                "--reuseaddr",
                "--listen=127.0.0.1",
                "--port=" + port,
                "--base-path=" + baseDir,
                "--export-all",
                // The default of 32 refuses the 33rd client at once; a fleet's burst must queue.
                "--max-connections=0",
                baseDir.toString()));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().put("GIT_CONFIG_NOSYSTEM", "1");
    builder.environment().put("GIT_CONFIG_GLOBAL", "/dev/null");
    builder.environment().putAll(env);
    builder.redirectErrorStream(true);
    builder.redirectOutput(new File("/dev/null"));
    GitDaemon daemon = new GitDaemon(builder.start(), port);
    daemon.awaitListening();
    return daemon;
  }

  private static Path execPath() throws IOException {
    Process git = new ProcessBuilder("git", "--exec-path").redirectErrorStream(true).start();
    String out = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    try {
      if (git.waitFor() != 0) {
        throw new IOException("git --exec-path failed: " + out);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
    return Path.of(out);
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private void awaitListening() throws IOException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IOException("git daemon exited with " + process.exitValue());
      }
      try (Socket probe = new Socket()) {
        probe.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return;
      } catch (IOException notYet) {
        sleep(50);
      }
    }
    close();
    throw new IOException("git daemon did not listen on 127.0.0.1:" + port + " within 10s");
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  int port() {
    return port;
  }

  /** The git:// URL of the repository {@code name} under the base directory. */
  String url(String name) {
    return "git://127.0.0.1:" + port + "/" + name;
  }

  long pid() {
    return process.pid();
  }

  @Override
  public void close() {
    process.destroy(); // only the daemon this object started, by its PID
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
