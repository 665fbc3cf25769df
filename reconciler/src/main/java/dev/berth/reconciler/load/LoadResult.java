package dev.berth.reconciler.load;

import dev.berth.reconciler.diag.Diagnostic;
import dev.berth.reconciler.manifest.ManifestSet;
import java.util.List;

/**
 * What loading a repository gave: the manifests and every finding. With any error the set must not
 * be applied at all.
 */
public record LoadResult(ManifestSet manifests, List<Diagnostic> diagnostics) {
  public boolean valid() {
    return diagnostics.stream().noneMatch(Diagnostic::isError);
  }

  public long errorCount() {
    return diagnostics.stream().filter(Diagnostic::isError).count();
  }

  public long warningCount() {
    return diagnostics.size() - errorCount();
  }
}
