package dev.berth.reconciler.model;

import java.util.List;
import java.util.Map;

/** A Kubernetes label selector: all of matchLabels and all of matchExpressions must hold. */
public record LabelSelector(
    Map<String, String> matchLabels, List<LabelRequirement> matchExpressions) {
  public LabelSelector {
    matchLabels = matchLabels == null ? Map.of() : Map.copyOf(matchLabels);
    matchExpressions = matchExpressions == null ? List.of() : List.copyOf(matchExpressions);
  }

  public boolean matches(Map<String, String> labels) {
    for (Map.Entry<String, String> wanted : matchLabels.entrySet()) {
      if (!wanted.getValue().equals(labels.get(wanted.getKey()))) {
        return false;
      }
    }
    return matchExpressions.stream().allMatch(requirement -> requirement.matches(labels));
  }
}
