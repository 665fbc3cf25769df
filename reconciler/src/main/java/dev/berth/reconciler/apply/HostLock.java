package dev.berth.reconciler.apply;

import java.io.IOException;
import java.util.function.Consumer;

/**
 * Lets one of berth's processes at a time change a host's containers and inventory: the agent for a
 * pass, {@code berth create|update|remove} for one command.
 */
public interface HostLock {

  /** Waits for the lock, telling {@code waiting} once if someone else holds it. */
  Held acquire(Consumer<String> waiting) throws IOException;

  /** The lock, held until closed. */
  interface Held extends AutoCloseable {
    @Override
    void close() throws IOException;
  }
}
