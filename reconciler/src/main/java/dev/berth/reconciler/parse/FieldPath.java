package dev.berth.reconciler.parse;

import java.util.List;

/**
 * A path to a node of a document, stated once for both uses a finding has for it: the text users
 * read ({@code spec.network.forwardPorts[0].hostPort}, see {@link #toString()}) and the mark that
 * {@link YamlDocument#mark(FieldPath)} finds. Segments are field names and list indices.
 */
public record FieldPath(List<Object> segments) {
  public static final FieldPath ROOT = new FieldPath(List.of());

  public FieldPath {
    for (Object segment : segments) {
      if (!(segment instanceof String) && !(segment instanceof Integer)) {
        throw new IllegalArgumentException("not a field name or an index: " + segment);
      }
    }
    segments = List.copyOf(segments);
  }

  /** The path of {@code segments}, each a field name or an index. */
  public static FieldPath of(Object... segments) {
    return new FieldPath(List.of(segments));
  }

  /** The path of {@code segments}, copied: a walk may go on changing its list. */
  public static FieldPath of(List<?> segments) {
    return new FieldPath(List.<Object>copyOf(segments));
  }

  public FieldPath field(String name) {
    return then(name);
  }

  public FieldPath item(int index) {
    return then(index);
  }

  public boolean isRoot() {
    return segments.isEmpty();
  }

  private FieldPath then(Object segment) {
    Object[] longer = segments.toArray(new Object[segments.size() + 1]);
    longer[segments.size()] = segment;
    return new FieldPath(List.of(longer)); // copyOf keeps this list: one copy, not two
  }

  /** The path as users write it: {@code spec.network.forwardPorts[0].hostPort}. */
  @Override
  public String toString() {
    StringBuilder out = new StringBuilder();
    for (Object segment : segments) {
      if (segment instanceof Integer index) {
        out.append('[').append(index).append(']');
      } else {
        if (!out.isEmpty()) {
          out.append('.');
        }
        out.append(segment);
      }
    }
    return out.toString();
  }
}
