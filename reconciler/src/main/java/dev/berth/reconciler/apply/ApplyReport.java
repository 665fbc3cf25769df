package dev.berth.reconciler.apply;

import java.util.List;

/** The results of one pass on a host. */
public record ApplyReport(String host, List<ContainerResult> results) {
  public ApplyReport {
    results = List.copyOf(results);
  }

  public boolean converged() {
    return results.stream().allMatch(r -> r.outcome() == Outcome.CONVERGED || r.outcome() == Outcome.SKIPPED);
  }

  public long count(Outcome outcome) {
    return results.stream().filter(r -> r.outcome() == outcome).count();
  }
}
