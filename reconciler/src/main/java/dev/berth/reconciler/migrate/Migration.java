package dev.berth.reconciler.migrate;

import dev.berth.reconciler.diag.Diagnostic;
import dev.berth.reconciler.load.LoadResult;
import dev.berth.reconciler.load.ManifestLoader;
import dev.berth.reconciler.model.Host;
import dev.berth.reconciler.validate.SemanticCheck;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * RFC 0108's migration plan, the part that needs no host: old container configurations in,
 * Container manifests and their Nix files out, checked with berth's own validation for the host
 * they are placed on before anyone writes them.
 */
public final class Migration {
  private final String host;

  public Migration(String host) {
    this.host = host;
  }

  /** What the configurations become; nothing is written. */
  public Result run(List<LegacyConf> confs) {
    ContainerMigrator migrator = new ContainerMigrator(host);
    List<MigratedContainer> containers = new ArrayList<>();
    List<Finding> skipped = new ArrayList<>();
    GeneratedTree tree = new GeneratedTree();
    for (LegacyConf conf : confs) {
      migrator
          .migrate(conf, skipped)
          .ifPresent(
              container -> {
                containers.add(container);
                tree.putAll(container.files());
              });
    }
    LoadResult loaded;
    try {
      loaded = new ManifestLoader().load(tree, SemanticCheck.forHost(new Host(host, Map.of())));
    } catch (IOException e) {
      throw new UncheckedIOException(e); // an in-memory tree does no I/O
    }
    return new Result(List.copyOf(containers), List.copyOf(skipped), loaded.diagnostics());
  }

  /**
   * The migrated containers, the configurations that could not be migrated, and what berth's
   * validation says about the manifests (paths relative to the output directory).
   */
  public record Result(
      List<MigratedContainer> containers, List<Finding> skipped, List<Diagnostic> diagnostics) {

    public boolean valid() {
      return diagnostics.stream().noneMatch(Diagnostic::isError);
    }
  }
}
