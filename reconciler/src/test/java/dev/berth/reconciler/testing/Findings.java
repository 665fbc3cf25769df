package dev.berth.reconciler.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.reconciler.diag.Diagnostic;
import dev.berth.reconciler.diag.Diagnostics;
import dev.berth.reconciler.load.LoadResult;
import dev.berth.reconciler.load.ManifestLoader;
import dev.berth.reconciler.model.Host;
import dev.berth.reconciler.validate.SemanticCheck;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Loading manifests in tests, and assertions on what users would see: {@code FILE:LINE:COL:
 * message}.
 */
public final class Findings {
  /** One loader for all tests: it is stateless, and reading the CRDs once keeps the suite fast. */
  public static final ManifestLoader LOADER = new ManifestLoader();

  private Findings() {}

  /** An expected finding: where it is ({@code FILE:LINE:COL}) and a part of its message. */
  public record Expected(String location, String fragment) {
    boolean matches(Diagnostic diagnostic) {
      String text = diagnostic.format();
      return text.startsWith(location + ": ") && text.contains(fragment);
    }

    @Override
    public String toString() {
      return location + ": ..." + fragment + "...";
    }
  }

  public static Expected at(String location, String fragment) {
    return new Expected(location, fragment);
  }

  /** Lines joined with newlines, and a final newline, as a YAML file is written. */
  public static String yaml(String... lines) {
    return String.join("\n", lines) + "\n";
  }

  public static LoadResult loadAll(InMemoryTree tree) {
    return load(tree, SemanticCheck.forAllHosts());
  }

  /** Loads for one host; {@code labels} are {@code key=value} pairs. */
  public static LoadResult loadFor(InMemoryTree tree, String host, String... labels) {
    Map<String, String> map = new HashMap<>();
    for (String label : labels) {
      String[] pair = label.split("=", 2);
      map.put(pair[0], pair[1]);
    }
    return load(tree, SemanticCheck.forHost(new Host(host, map)));
  }

  public static LoadResult load(InMemoryTree tree, SemanticCheck check) {
    try {
      return LOADER.load(tree, check);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static List<String> formatted(List<Diagnostic> diagnostics) {
    return diagnostics.stream().map(Diagnostic::format).toList();
  }

  /** The findings are exactly the expected ones, in this order. */
  public static void assertFindings(List<Diagnostic> actual, Expected... expected) {
    String shown = actual.stream().map(Diagnostic::format).collect(Collectors.joining("\n  "));
    assertThat(actual)
        .as("findings:\n  %s\nexpected:\n  %s", shown, Arrays.toString(expected))
        .hasSize(expected.length);
    for (int i = 0; i < expected.length; i++) {
      assertThat(expected[i].matches(actual.get(i)))
          .as(
              "finding %d is\n  %s\nexpected\n  %s\nall findings:\n  %s",
              i, actual.get(i).format(), expected[i], shown)
          .isTrue();
    }
  }

  public static void assertFindings(LoadResult result, Expected... expected) {
    assertFindings(result.diagnostics(), expected);
  }

  public static void assertFindings(Diagnostics diagnostics, Expected... expected) {
    assertFindings(diagnostics.sorted(), expected);
  }

  /** Among the findings (there may be others) is one that matches. */
  public static void assertHasFinding(LoadResult result, Expected expected) {
    String shown = formatted(result.diagnostics()).stream().collect(Collectors.joining("\n  "));
    assertThat(result.diagnostics().stream().anyMatch(expected::matches))
        .as("no finding %s among\n  %s", expected, shown)
        .isTrue();
  }
}
