package dev.berth.agent.source;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The one Git server a simulated fleet polls, in a process of its own so that its CPU is the
 * server's alone: {@code git daemon} (git://) or {@code git http-backend} behind an HTTP server
 * (smart HTTP).
 */
interface FleetServer extends AutoCloseable {

  /** "git" or "http". */
  String kind();

  /** The repository {@code name}'s URL through the TCP port {@code port} on 127.0.0.1. */
  String url(String name, int port);

  /** The server's own port. */
  int port();

  /** The server process's CPU so far, its reaped children's included. */
  ServerCpu cpu() throws IOException;

  /**
   * Of a CPU delta, what Git's programs spent: all of git daemon's; of the HTTP server, its CGI
   * children (git http-backend and upload-pack), not the Java front that a production server (nginx
   * with fcgiwrap, Apache) would replace.
   */
  default double gitSeconds(ServerCpu delta) {
    return kind().equals("git") ? delta.total() : delta.children();
  }

  @Override
  void close();

  static FleetServer start(String kind, Path baseDir) throws IOException {
    return switch (kind) {
      case "git" -> new Daemon(GitDaemon.serve(baseDir, Map.of()));
      case "http" -> Http.start(baseDir);
      default -> throw new IllegalArgumentException("server kind is git or http, not " + kind);
    };
  }

  /** git daemon, forking a child per connection. */
  record Daemon(GitDaemon daemon) implements FleetServer {
    @Override
    public String kind() {
      return "git";
    }

    @Override
    public String url(String name, int port) {
      return "git://127.0.0.1:" + port + "/" + name;
    }

    @Override
    public int port() {
      return daemon.port();
    }

    @Override
    public ServerCpu cpu() throws IOException {
      return ServerCpu.of(daemon.pid());
    }

    @Override
    public void close() {
      daemon.close();
    }
  }

  /** {@link GitHttpBackend} run in a JVM of its own, a git http-backend process per request. */
  record Http(Process process, int port) implements FleetServer {
    static Http start(Path baseDir) throws IOException {
      Path java = Path.of(System.getProperty("java.home"), "bin", "java");
      ProcessBuilder builder =
          new ProcessBuilder(
              List.of(
                  java.toString(),
                  "-Xmx256m",
                  "-XX:+UseSerialGC",
                  "-cp",
                  System.getProperty("java.class.path"),
                  GitHttpBackend.class.getName(),
                  baseDir.toString(),
                  "64"));
      builder.redirectError(ProcessBuilder.Redirect.INHERIT);
      Process process = builder.start();
      BufferedReader out =
          new BufferedReader(
              new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      String line = out.readLine();
      if (line == null) {
        throw new IOException("the HTTP server exited before it said its port");
      }
      return new Http(process, Integer.parseInt(line.trim()));
    }

    @Override
    public String kind() {
      return "http";
    }

    @Override
    public String url(String name, int port) {
      return "http://127.0.0.1:" + port + "/" + name;
    }

    @Override
    public ServerCpu cpu() throws IOException {
      return ServerCpu.of(process.pid());
    }

    @Override
    public void close() {
      try {
        process.getOutputStream().close(); // its end of input: it stops serving
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
          process.destroy(); // only the server this record started, by its PID
        }
      } catch (IOException | InterruptedException e) {
        process.destroy();
      }
    }
  }
}
