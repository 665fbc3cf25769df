package dev.berth.reconciler.model;

import java.util.List;
import java.util.Map;

/** One matchExpressions entry: a key, an operator (In, NotIn, Exists, DoesNotExist), values. */
public record LabelRequirement(String key, String operator, List<String> values) {
  public LabelRequirement {
    values = values == null ? List.of() : List.copyOf(values);
  }

  public boolean matches(Map<String, String> labels) {
    String value = labels.get(key);
    return switch (operator) {
      case "In" -> value != null && values.contains(value);
      case "NotIn" -> value == null || !values.contains(value);
      case "Exists" -> value != null;
      case "DoesNotExist" -> value == null;
      default -> false;
    };
  }
}
