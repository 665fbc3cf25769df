package dev.berth.reconciler.apply;

import java.util.List;

/** The results of one pass on a host. */
public record ApplyReport(String host, List<ContainerResult> results, String refusal) {
  public ApplyReport {
    results = List.copyOf(results);
  }

  public static ApplyReport refused(String host, String refusal) {
    return new ApplyReport(host, List.of(), refusal);
  }

  /** Whether the whole pass was refused (nothing done), and why. */
  public boolean isRefused() {
    return refusal != null;
  }

  public boolean converged() {
    return refusal == null
        && results.stream()
            .allMatch(r -> r.outcome() == Outcome.CONVERGED || r.outcome() == Outcome.SKIPPED);
  }

  public long count(Outcome outcome) {
    return results.stream().filter(r -> r.outcome() == outcome).count();
  }
}
