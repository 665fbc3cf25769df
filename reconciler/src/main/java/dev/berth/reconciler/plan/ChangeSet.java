package dev.berth.reconciler.plan;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * How a container's installed files differ from the desired ones, sorted into what RFC 0108's rule
 * weighs: the system ({@code Parameters=}), cgroup limits, and everything else; apart from those, a
 * new image (a rebuild of the root) and an image identity only recorded where a drop-in from before
 * image upgrades had none (no activation).
 */
final class ChangeSet {
  static final String PARAMETERS = "Exec.Parameters";
  static final Set<String> RESOURCE_SETTINGS =
      Set.of("Service.MemoryMax", "Service.CPUQuota", "Service.TasksMax");

  final List<String> parameters = new ArrayList<>();
  final List<String> resources = new ArrayList<>();
  final List<String> other = new ArrayList<>();
  final List<String> editedByHand = new ArrayList<>();

  /** {@code sha256 A… → sha256 B…} when the image changed; null when it did not. */
  String image;

  /**
   * Whether some file's bytes differ from its rendering, even where no setting does (a header
   * edited by hand, a comment): then the files are written again.
   */
  boolean rewrite;

  /** The image identity the drop-in gains or loses without the image changing. */
  final List<String> recorded = new ArrayList<>();

  boolean isEmpty() {
    return parameters.isEmpty() && resources.isEmpty() && other.isEmpty();
  }

  String describe() {
    List<String> all = new ArrayList<>(other);
    all.addAll(parameters);
    all.addAll(resources);
    return String.join(", ", all);
  }
}
