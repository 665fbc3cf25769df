package dev.berth.reconciler.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.reconciler.load.LoadResult;
import dev.berth.reconciler.model.Container;
import dev.berth.reconciler.model.Host;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Container manifests for tests, written in one place: a name, placed on host {@code h1}, a tarball
 * image unless told otherwise, and spec lines as they stand under {@code spec:}.
 */
public final class ContainerYaml {
  public static final Host HOST = new Host("h1", Map.of());
  public static final String TARBALL_URL = "file:///i.tar";
  public static final String TARBALL_SHA256 = "c".repeat(64);
  private static final Pattern NIX_FILE = Pattern.compile("file: (\\S+\\.nix)");

  private final String name;
  private List<String> placement = List.of("placement:", "  hosts: [" + HOST.name() + "]");
  private List<String> image = List.of();
  private final List<String> annotations = new ArrayList<>();
  private final List<String> spec = new ArrayList<>();

  private ContainerYaml(String name) {
    this.name = name;
    tarball(TARBALL_URL, TARBALL_SHA256);
  }

  public static ContainerYaml container(String name) {
    return new ContainerYaml(name);
  }

  /** Placed on these hosts by name, instead of {@code h1}. */
  public ContainerYaml onHosts(String... hosts) {
    placement = List.of("placement:", "  hosts: [" + String.join(", ", hosts) + "]");
    return this;
  }

  /** Placed on the hosts whose labels match, a flow map such as {@code "{role: web}"}. */
  public ContainerYaml onHostsLabelled(String matchLabels) {
    placement = List.of("placement:", "  selector:", "    matchLabels: " + matchLabels);
    return this;
  }

  /** No placement at all, as {@code berth create} takes a manifest. */
  public ContainerYaml unplaced() {
    placement = List.of();
    return this;
  }

  /** A {@code tarball} image from {@code url} with this digest. */
  public ContainerYaml tarball(String url, String sha256) {
    image = List.of("image:", "  tarball:", "    url: " + url, "    sha256: " + sha256);
    return this;
  }

  /** A {@code directory} image: the root file system at {@code path} on the host. */
  public ContainerYaml directory(String path) {
    image = List.of("image:", "  directory:", "    path: " + path);
    return this;
  }

  /** A {@code nixos} image built from {@code file} in the repository. */
  public ContainerYaml nixos(String file) {
    image = List.of("image:", "  nixos:", "    file: " + file);
    return this;
  }

  /** No image lines: the spec lines given say which. */
  public ContainerYaml withoutImage() {
    image = List.of();
    return this;
  }

  /** The {@code berth.dev/adopt} annotation: take over a machine berth did not create. */
  public ContainerYaml adopting() {
    annotations.add("berth.dev/adopt: \"true\"");
    return this;
  }

  /** Lines under {@code spec:}, indented as in the manifest below it ({@code "state: stopped"}). */
  public ContainerYaml spec(String... lines) {
    spec.addAll(Arrays.asList(lines));
    return this;
  }

  /**
   * The document. Its layout is fixed, and tests that assert a line depend on it: {@code
   * metadata.name} on line 4 (column 9), annotations below it, then {@code spec:}, the placement,
   * the image, and the spec lines; so, unannotated on hosts and with a directory image, spec lines
   * start at line 11.
   */
  public String yaml() {
    StringBuilder yaml =
        new StringBuilder("apiVersion: berth.dev/v1alpha1\nkind: Container\nmetadata:\n  name: ")
            .append(name)
            .append('\n');
    if (!annotations.isEmpty()) {
      yaml.append("  annotations:\n");
      annotations.forEach(a -> yaml.append("    ").append(a).append('\n'));
    }
    yaml.append("spec:\n");
    for (List<String> lines : List.of(placement, image, spec)) {
      lines.forEach(line -> yaml.append("  ").append(line).append('\n'));
    }
    return yaml.toString();
  }

  @Override
  public String toString() {
    return yaml();
  }

  /** Documents joined into one file, as {@code ---} separates them. */
  public static String docs(Object... documents) {
    return String.join("---\n", Arrays.stream(documents).map(Object::toString).toList());
  }

  /**
   * The documents loaded for {@link #HOST}, every {@code .nix} file they name present; they must be
   * valid.
   */
  public static LoadResult load(Object... documents) {
    String text = docs(documents);
    InMemoryTree tree = InMemoryTree.of("m.yaml", text);
    Matcher nix = NIX_FILE.matcher(text);
    while (nix.find()) {
      tree.put(nix.group(1), "{ }\n");
    }
    LoadResult loaded = Findings.loadFor(tree, HOST.name());
    assertThat(loaded.valid()).as(loaded.diagnostics().toString()).isTrue();
    return loaded;
  }

  /** The containers of the documents placed on {@link #HOST}. */
  public static List<Container> containers(Object... documents) {
    return load(documents).manifests().containersOn(HOST);
  }
}
