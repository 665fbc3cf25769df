package dev.berth.agent.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI's class-data archive: the build makes one that this JVM maps for the built jar, and
 * bin/berth runs the same, and says nothing more, with it, without it and with one that does not
 * fit (README, "CLI start").
 */
class ClassDataArchiveIT {
  private static final Path JAR = Path.of("target", "berth.jar").toAbsolutePath();
  private static final Path ARCHIVE = Path.of("target", "berth.jsa").toAbsolutePath();
  private static final Path BIN_BERTH = Path.of("..", "bin", "berth").toAbsolutePath().normalize();
  private static final String JAVA =
      Path.of(System.getProperty("java.home"), "bin", "java").toString();

  @TempDir Path tmp;

  private record Run(int exitCode, String output) {}

  @Test
  void theBuildMakesAnArchiveThatTheJvmMapsTheCliAndPicocliClassesFrom() throws Exception {
    assertThat(ARCHIVE).as("the build's archive").isRegularFile();

    // -Xshare:on stops the JVM when the archive cannot be used, instead of ignoring it.
    Run run =
        run(
            JAVA,
            "-XX:SharedArchiveFile=" + ARCHIVE,
            "-Xshare:on",
            "-Xlog:class+load=info",
            "-jar",
            JAR.toString(),
            "--version");

    assertThat(run.exitCode()).as(run.output()).isZero();
    assertThat(run.output())
        .contains("dev.berth.agent.cli.Main source: shared objects file (top)")
        // picocli as the build compiles it (Java 8): its published jar's Java 5 classes would
        // load from the jar, since CDS cannot store them.
        .contains("picocli.CommandLine source: shared objects file (top)")
        .containsPattern("(?m)^berth \\S+$");
  }

  @Test
  void binBerthWithTheBuildsArchiveSaysOnlyTheVersion() throws Exception {
    Run run = run(BIN_BERTH.toString(), "--version");

    assertThat(run.exitCode()).as(run.output()).isZero();
    assertThat(run.output().lines())
        .as(run.output())
        .singleElement()
        .asString()
        .startsWith("berth ");
  }

  @Test
  void binBerthWithoutAnArchiveValidatesAsWithIt() throws Exception {
    Path copy = checkoutWithTheJar();

    Run run = run(copy.resolve("bin/berth").toString(), "validate", examplesRepo());

    assertThat(run.exitCode()).as(run.output()).isZero();
    assertThat(run.output())
        .isEqualTo(run(BIN_BERTH.toString(), "validate", examplesRepo()).output());
  }

  // The archive records the jar's path, size and time; beside a copy of the jar it does not fit,
  // and the JVM must go on without it, silently.
  @Test
  void binBerthWithAnArchiveThatDoesNotFitTheJarValidatesAsWithout() throws Exception {
    Path copy = checkoutWithTheJar();
    Files.copy(ARCHIVE, copy.resolve("agent/target/berth.jsa"));

    Run run = run(copy.resolve("bin/berth").toString(), "validate", examplesRepo());

    assertThat(run.exitCode()).as(run.output()).isZero();
    assertThat(run.output().lines())
        .as(run.output())
        .singleElement()
        .asString()
        .startsWith("valid: ");
  }

  private Path checkoutWithTheJar() throws Exception {
    Files.createDirectories(tmp.resolve("bin"));
    Files.createDirectories(tmp.resolve("agent/target"));
    Files.copy(BIN_BERTH, tmp.resolve("bin/berth"));
    // A copy, not a link: the JVM follows a link to the build's jar, which the archive fits.
    Files.copy(JAR, tmp.resolve("agent/target/berth.jar"));
    return tmp;
  }

  private static String examplesRepo() {
    return Path.of("..", "examples-repo").toAbsolutePath().normalize().toString();
  }

  private static Run run(String... command) throws Exception {
    Process process =
        new ProcessBuilder(new ArrayList<>(List.of(command))).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as(String.join(" ", command)).isTrue();
    return new Run(process.exitValue(), output);
  }
}
