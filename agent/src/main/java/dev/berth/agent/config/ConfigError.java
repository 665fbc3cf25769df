package dev.berth.agent.config;

import dev.berth.reconciler.diag.Diagnostic;
import java.util.List;

/** An invalid configuration file: every finding as {@code FILE:LINE:COL: message}. */
public final class ConfigError extends Exception {
  private final List<Diagnostic> findings;

  public ConfigError(List<Diagnostic> findings) {
    super(
        findings.isEmpty() ? "invalid configuration" : findings.get(0).format(),
        null,
        false,
        false);
    this.findings = List.copyOf(findings);
  }

  public List<Diagnostic> findings() {
    return findings;
  }
}
