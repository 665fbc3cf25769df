package dev.berth.reconciler.render;

import java.util.Map;
import java.util.Optional;

/** The NixOS toplevel built for each {@code nixos} container, where a build exists. */
@FunctionalInterface
public interface SystemBuilds {
  SystemBuilds NONE = name -> Optional.empty();

  Optional<String> systemOf(String container);

  /** Why {@code container} has no system yet; asked only where {@link #systemOf} is empty. */
  default UnbuiltSystem unbuilt(String container) {
    return UnbuiltSystem.NOT_BUILT;
  }

  static SystemBuilds of(Map<String, String> systems) {
    Map<String, String> copy = Map.copyOf(systems);
    return name -> Optional.ofNullable(copy.get(name));
  }
}
