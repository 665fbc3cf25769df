package dev.berth.reconciler.validate;

import dev.berth.reconciler.model.LabelRequirement;
import dev.berth.reconciler.model.LabelSelector;
import dev.berth.reconciler.model.Placement;
import dev.berth.reconciler.parse.FieldPath;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The rules of {@code spec.placement}, alike for containers and zones, and of label selectors
 * wherever they are (a Rollout's waves have them too).
 */
final class PlacementRules {
  private static final Pattern LABEL_KEY =
      Pattern.compile(
          "^([a-z0-9]([-a-z0-9.]*[a-z0-9])?/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$");
  private static final FieldPath PLACEMENT = FieldPath.of("spec", "placement");
  private static final FieldPath SELECTOR = PLACEMENT.field("selector");

  private PlacementRules() {}

  static void check(Placement placement, DocumentFindings findings) {
    if (placement.hosts() != null) {
      for (int i = 0; i < placement.hosts().size(); i++) {
        String host = placement.hosts().get(i);
        if (host.isBlank() || host.chars().anyMatch(Character::isWhitespace)) {
          findings.error(PLACEMENT.field("hosts").item(i), "\"" + host + "\" is not a host name");
        }
      }
    }
    if (placement.selector() != null) {
      selector(placement.selector(), SELECTOR, findings);
    }
  }

  /** The rules of a label selector at {@code at}: its keys, and values only where they count. */
  static void selector(LabelSelector selector, FieldPath at, DocumentFindings findings) {
    for (String key : selector.matchLabels().keySet()) {
      if (!LABEL_KEY.matcher(key).matches()) {
        findings.error(at.field("matchLabels"), "\"" + key + "\" is not a label key");
      }
    }
    List<LabelRequirement> expressions = selector.matchExpressions();
    for (int i = 0; i < expressions.size(); i++) {
      LabelRequirement requirement = expressions.get(i);
      FieldPath expression = at.field("matchExpressions").item(i);
      boolean wantsValues =
          requirement.operator().equals("In") || requirement.operator().equals("NotIn");
      if (wantsValues && requirement.values().isEmpty()) {
        findings.error(expression, requirement.operator() + " needs values");
      } else if (!wantsValues && !requirement.values().isEmpty()) {
        findings.error(
            expression, expression.field("values"), requirement.operator() + " takes no values");
      }
    }
  }
}
