package dev.berth.reconciler.pass;

import dev.berth.reconciler.plan.ActionClass;
import dev.berth.reconciler.plan.PlannedAction;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The final plan of one pass on a host: every container's decision in the order the pass reports
 * them, the zones (held: their files do not change in this pass), when the pass would remove too
 * much, the refusal of the whole pass, and the containers whose files are byte for byte their
 * rendering already (the executor writes nothing for them).
 */
public record PassPlan(
    String host,
    List<ContainerDecision> containers,
    List<PlannedAction> zones,
    boolean zonesHeld,
    Optional<String> refusal,
    Set<String> filesCurrent) {
  public PassPlan {
    containers = List.copyOf(containers);
    zones = List.copyOf(zones);
    filesCurrent = Set.copyOf(filesCurrent);
  }

  public boolean isRefused() {
    return refusal.isPresent();
  }

  public Optional<ContainerDecision> decision(String name) {
    return containers.stream().filter(d -> d.name().equals(name)).findFirst();
  }

  /** Whether the pass would change anything (a conflict or a skip needs a look, so counts too). */
  public boolean hasChanges() {
    return isRefused()
        || containers.stream().anyMatch(d -> d.action() != ActionClass.NONE || !d.acts())
        || zones.stream().anyMatch(z -> z.action() != ActionClass.NONE);
  }

  /** The lines users read: containers, then zones, then the refusal if any. */
  public List<String> lines() {
    List<String> lines = new ArrayList<>();
    containers.forEach(d -> lines.add(d.line()));
    zones.forEach(z -> lines.add(z.line()));
    refusal.ifPresent(why -> lines.add("refused: " + why));
    return lines;
  }
}
