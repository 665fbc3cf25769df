package dev.berth.agent.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's real {@code chromium}, headless, for the status page's tests: each run has its own
 * profile directory, reaches only loopback (every other host name fails to resolve, and the
 * background services that would call home are off), and is killed by PID, with its children, if it
 * does not end in time.
 */
final class HeadlessChromium {
  private static final long TIMEOUT_SECONDS = 90;

  private final Path work;
  private int runs;

  /** Profiles and logs go under {@code work}. */
  HeadlessChromium(Path work) {
    this.work = work;
  }

  /** The DOM Chromium built from the page at {@code page}, serialized. */
  String dumpDom(URI page) throws IOException, InterruptedException {
    return run(List.of("--dump-dom", page.toString()));
  }

  /** Renders {@code page} in a window of this size into the PNG file {@code png}. */
  void screenshot(URI page, Path png, int width, int height)
      throws IOException, InterruptedException {
    Files.createDirectories(png.toAbsolutePath().getParent());
    Files.deleteIfExists(png);
    run(
        List.of(
            "--screenshot=" + png.toAbsolutePath(),
            "--window-size=" + width + "," + height,
            "--hide-scrollbars",
            page.toString()));
  }

  /**
   * How wide the page at {@code page} is laid out in a window of this size: the document's scroll
   * width and the viewport's, asked over the DevTools protocol (on loopback), which the page's
   * Content-Security-Policy does not restrain as it would a script of the page.
   */
  Widths widths(URI page, int width, int height) throws IOException, InterruptedException {
    Path profile = profile();
    Process process =
        start(
            profile,
            List.of(
                "--remote-debugging-address=127.0.0.1",
                "--remote-debugging-port=0",
                "--window-size=" + width + "," + height,
                "--hide-scrollbars",
                "about:blank"));
    try {
      URI browser = devTools(profile, process);
      URI target = pageTarget(browser);
      try (DevToolsSocket devTools =
          DevToolsSocket.open(target, Duration.ofSeconds(TIMEOUT_SECONDS))) {
        // A headless window is at least 500 px wide: emulate the phone's screen, as DevTools'
        // device mode does.
        devTools.call(
            "Emulation.setDeviceMetricsOverride",
            DevToolsSocket.params()
                .put("width", width)
                .put("height", height)
                .put("deviceScaleFactor", 1)
                .put("mobile", true));
        // Loaded after the emulation begins, and measured once it has loaded (not about:blank).
        devTools.call("Page.navigate", DevToolsSocket.params().put("url", page.toString()));
        JsonNode result =
            devTools.evaluate(
                "location.href === "
                    + new ObjectMapper().writeValueAsString(page.toString())
                    + " && document.readyState === 'complete' ?"
                    + " [document.documentElement.scrollWidth, window.innerWidth] : null");
        return new Widths(result.get(0).asInt(), result.get(1).asInt());
      }
    } finally {
      kill(process);
    }
  }

  /** The document's width and the viewport's, in CSS pixels. */
  record Widths(int document, int viewport) {}

  private Path profile() throws IOException {
    return Files.createDirectories(work.resolve("profile-" + ++runs));
  }

  /** The browser's DevTools address, from the file Chromium writes into its profile. */
  private static URI devTools(Path profile, Process process)
      throws IOException, InterruptedException {
    Path file = profile.resolve("DevToolsActivePort");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
    while (System.nanoTime() < deadline && process.isAlive()) {
      List<String> lines = Files.exists(file) ? Files.readAllLines(file) : List.of();
      if (lines.size() >= 2) {
        return URI.create("http://127.0.0.1:" + lines.get(0).strip());
      }
      Thread.sleep(50);
    }
    throw new IOException("chromium wrote no DevToolsActivePort in " + TIMEOUT_SECONDS + " s");
  }

  private static URI pageTarget(URI browser) throws IOException, InterruptedException {
    HttpClient http = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).build();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
    while (System.nanoTime() < deadline) {
      String list =
          http.send(
                  HttpRequest.newBuilder(browser.resolve("/json/list")).build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
      for (JsonNode target : new ObjectMapper().readTree(list)) {
        if (target.path("type").asText().equals("page") && target.has("webSocketDebuggerUrl")) {
          return URI.create(target.get("webSocketDebuggerUrl").asText());
        }
      }
      Thread.sleep(50);
    }
    throw new IOException("chromium lists no page at " + browser);
  }

  private String run(List<String> arguments) throws IOException, InterruptedException {
    Path profile = profile();
    Process process = start(profile, arguments);
    if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      kill(process);
      throw new IOException(
          "chromium did not end in " + TIMEOUT_SECONDS + " s (killed pid " + process.pid() + ")");
    }
    if (process.exitValue() != 0) {
      throw new IOException(
          "chromium failed ("
              + process.exitValue()
              + "): "
              + Files.readString(profile.resolveSibling(profile.getFileName() + ".err")));
    }
    return Files.readString(
        profile.resolveSibling(profile.getFileName() + ".out"), StandardCharsets.UTF_8);
  }

  /** Ends chromium and every process it started, each by its PID. */
  private static void kill(Process process) throws InterruptedException {
    List<ProcessHandle> children = process.descendants().toList();
    process.destroyForcibly().waitFor();
    children.forEach(ProcessHandle::destroyForcibly);
  }

  private static Process start(Path profile, List<String> arguments) throws IOException {
    List<String> command =
        new ArrayList<>(
            List.of(
                "chromium",
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--user-data-dir=" + profile,
                "--no-first-run",
                "--no-default-browser-check",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-default-apps",
                "--disable-extensions",
                "--disable-domain-reliability",
                "--disable-client-side-phishing-detection",
                "--no-pings",
                "--no-proxy-server",
                "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"));
    command.addAll(arguments);
    return new ProcessBuilder(command)
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
        .redirectOutput(profile.resolveSibling(profile.getFileName() + ".out").toFile())
        .redirectError(profile.resolveSibling(profile.getFileName() + ".err").toFile())
        .start();
  }
}
