package dev.berth.reconciler.apply;

import dev.berth.reconciler.model.Container;
import dev.berth.reconciler.render.SystemBuilds;
import java.io.IOException;
import java.util.List;

/**
 * Where a pass gets its NixOS containers' built systems (the agent's builder, builds awaited by
 * {@code berth apply}, or systems given on the command line), and whom it tells what it activated.
 */
public interface SystemSource {
  /** Systems given in advance; nothing to root after a pass. */
  static SystemSource fixed(SystemBuilds builds) {
    return containers -> builds;
  }

  /** The systems for one pass; may start builds, never waits for them. */
  SystemBuilds forPass(List<Container> containers) throws IOException;

  /** After a pass: {@code used} was activated where the report says so. */
  default void afterPass(List<Container> containers, ApplyReport report, SystemBuilds used)
      throws IOException {}
}
