package dev.berth.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Renders the bundled examples-repo for each example host and compares every file with the
 * checked-in expected tree under src/test/resources/golden/HOST. Run with -Dberth.updateGolden=true
 * to rewrite the expected files after a deliberate change, then review the diff.
 */
class RenderGoldenTest {
  static final Path EXAMPLES = Path.of("..", "examples-repo");
  static final Path GOLDEN = Path.of("src", "test", "resources", "golden");

  static Stream<Arguments> hosts() {
    return Stream.of(
        Arguments.of(
            "host-a",
            List.of(
                "--system",
                    "demo=/nix/store/8y4c2n6x1p3q5r7s9t0v2w4y6z8a1b3c-nixos-system-demo-24.05",
                "--system",
                    "test1=/nix/store/1a2b3c4d5e6f7g8h9i0j1k2l3m4n5o6p-nixos-system-test1-24.05",
                "--system",
                    "test2=/nix/store/2b3c4d5e6f7g8h9i0j1k2l3m4n5o6p7q-nixos-system-test2-24.05",
                "--system",
                    "nginx=/nix/store/3c4d5e6f7g8h9i0j1k2l3m4n5o6p7q8r-nixos-system-nginx-24.05",
                "--system",
                    "vlandemo=/nix/store/4d5e6f7g8h9i0j1k2l3m4n5o6p7q8r9s-nixos-system-vlandemo-24.05")),
        Arguments.of("host-b", List.of("--label", "role=web")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("hosts")
  void rendersEachExampleAsExpected(String host, List<String> extra, @TempDir Path out)
      throws IOException {
    List<String> args =
        new java.util.ArrayList<>(
            List.of("render", EXAMPLES.toString(), "--host", host, "--out", out.toString()));
    args.addAll(extra);
    Cli result = Cli.run(args.toArray(String[]::new));
    assertThat(result.exitCode()).as(result.err()).isZero();

    Path expected = GOLDEN.resolve(host);
    if (Boolean.getBoolean("berth.updateGolden")) {
      deleteTree(expected);
      copyTree(out, expected);
    }
    assertThat(files(out)).isEqualTo(files(expected));
    for (Path file : files(out)) {
      assertThat(Files.readString(out.resolve(file)))
          .as(file.toString())
          .isEqualTo(Files.readString(expected.resolve(file)));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("hosts")
  void renderingTwiceGivesIdenticalBytes(String host, List<String> extra, @TempDir Path tmp)
      throws IOException {
    for (String run : List.of("first", "second")) {
      List<String> args =
          new java.util.ArrayList<>(
              List.of(
                  "render",
                  EXAMPLES.toString(),
                  "--host",
                  host,
                  "--out",
                  tmp.resolve(run).toString()));
      args.addAll(extra);
      assertThat(Cli.run(args.toArray(String[]::new)).exitCode()).isZero();
    }
    for (Path file : files(tmp.resolve("first"))) {
      assertThat(Files.readAllBytes(tmp.resolve("second").resolve(file)))
          .isEqualTo(Files.readAllBytes(tmp.resolve("first").resolve(file)));
    }
  }

  static List<Path> files(Path root) throws IOException {
    if (!Files.isDirectory(root)) {
      return List.of();
    }
    try (Stream<Path> walk = Files.walk(root)) {
      return walk.filter(Files::isRegularFile).map(root::relativize).sorted().toList();
    }
  }

  private static void copyTree(Path from, Path to) throws IOException {
    for (Path file : files(from)) {
      Files.createDirectories(to.resolve(file).getParent());
      Files.copy(from.resolve(file), to.resolve(file));
    }
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path path : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }
}
