package dev.berth.agent.nix;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The host's own nix: {@code nix-build FILE -A ATTR}, or {@code nix build path:DIR#ATTR} for a
 * {@code flake.nix}. Options such as substituters or the sandbox come from the host's {@code
 * nix.conf}, as for every other build there.
 */
final class NixBuildCommand implements SystemBuilder {
  static final String FLAKE = "flake.nix";
  private static final int TAIL_LINES = 8;

  @Override
  public String build(Path source, BuildKey key, Path outLink, Path log, Duration timeout)
      throws BuildFailure {
    List<String> command = command(source, key, outLink);
    Process process;
    try {
      Files.createDirectories(log.getParent());
      Files.createDirectories(outLink.getParent());
      Files.deleteIfExists(outLink);
      process =
          new ProcessBuilder(command)
              .directory(source.toFile())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
              .start();
    } catch (IOException e) {
      throw new BuildFailure(
          "cannot run "
              + command.get(0)
              + " ("
              + e.getMessage()
              + "); install nix on this host (Debian: nix-bin) to run NixOS containers");
    }
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
          process.descendants().forEach(ProcessHandle::destroyForcibly);
          process.destroyForcibly();
        }
        throw new BuildFailure(
            "the build of " + key.describe() + " took longer than " + timeout + tail(log));
      }
    } catch (InterruptedException e) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new BuildFailure("the build of " + key.describe() + " was interrupted");
    }
    if (process.exitValue() != 0) {
      throw new BuildFailure(
          "the build of "
              + key.describe()
              + " failed (nix exited "
              + process.exitValue()
              + ")"
              + tail(log));
    }
    String system;
    try {
      system = Files.readSymbolicLink(outLink).toString();
    } catch (IOException e) {
      throw new BuildFailure("the build of " + key.describe() + " left no result" + tail(log));
    }
    if (!Files.isRegularFile(Path.of(system, "init"))) {
      throw new BuildFailure(
          "the build of "
              + key.describe()
              + " gave "
              + system
              + ", which has no init: name a NixOS toplevel (config.system.build.toplevel)");
    }
    return system;
  }

  static List<String> command(Path source, BuildKey key, Path outLink) {
    List<String> command = new ArrayList<>();
    Path file = source.resolve(key.file());
    if (file.getFileName().toString().equals(FLAKE)) {
      command.addAll(
          List.of(
              "nix",
              "--extra-experimental-features",
              "nix-command flakes",
              "build",
              // The export is read-only: a flake must come with its flake.lock.
              "--no-write-lock-file",
              "--out-link",
              outLink.toString(),
              "path:" + file.getParent() + (key.attr() == null ? "" : "#" + key.attr())));
    } else {
      command.addAll(List.of("nix-build", file.toString(), "--out-link", outLink.toString()));
      if (key.attr() != null) {
        command.addAll(List.of("--attr", key.attr()));
      }
    }
    return command;
  }

  /** The last lines of the build's output, on one line, for the container's status. */
  static String tail(Path log) {
    try {
      List<String> lines =
          Files.readAllLines(log, StandardCharsets.UTF_8).stream()
              .map(String::strip)
              .filter(line -> !line.isEmpty())
              .toList();
      if (lines.isEmpty()) {
        return "";
      }
      List<String> tail = lines.subList(Math.max(0, lines.size() - TAIL_LINES), lines.size());
      return ": " + String.join(" | ", tail);
    } catch (IOException | java.io.UncheckedIOException e) {
      return "";
    }
  }
}
