package dev.berth.agent.http;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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

  private String run(List<String> arguments) throws IOException, InterruptedException {
    int run = ++runs;
    Path profile = Files.createDirectories(work.resolve("profile-" + run));
    Path out = work.resolve("stdout-" + run);
    Path err = work.resolve("stderr-" + run);
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
    Process process =
        new ProcessBuilder(command)
            .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .start();
    if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly().waitFor();
      throw new IOException(
          "chromium did not end in " + TIMEOUT_SECONDS + " s (killed pid " + process.pid() + ")");
    }
    if (process.exitValue() != 0) {
      throw new IOException(
          "chromium failed (" + process.exitValue() + "): " + Files.readString(err));
    }
    return Files.readString(out, StandardCharsets.UTF_8);
  }
}
