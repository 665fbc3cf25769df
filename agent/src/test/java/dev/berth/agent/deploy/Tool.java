package dev.berth.agent.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A command-line tool the deployment files are checked with; a missing one fails, never skips. */
record Tool(String name, String debianPackage) {

  /** The outcome of one run: exit code and the output, stdout and stderr together. */
  record Run(int exitCode, String output) {}

  /** Runs the tool in {@code dir} and returns what it said; it must be installed. */
  Run run(Path dir, String... args) throws Exception {
    boolean installed =
        List.of("/usr/bin/", "/usr/local/bin/", "/bin/").stream()
            .map(prefix -> Path.of(prefix + name))
            .anyMatch(Files::isExecutable);
    assertThat(installed)
        .as(
            name
                + " is missing: apt-get install -y "
                + debianPackage
                + " (bin/install-test-deps does)")
        .isTrue();
    List<String> command = new ArrayList<>(List.of(name));
    command.addAll(List.of(args));
    Process process =
        new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).as(name + " finished").isTrue();
    return new Run(process.exitValue(), output);
  }
}
