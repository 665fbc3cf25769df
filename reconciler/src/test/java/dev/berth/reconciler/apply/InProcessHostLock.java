package dev.berth.reconciler.apply;

import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/** The host lock for tests in one JVM; the agent's is a lock file that other processes see. */
public final class InProcessHostLock implements HostLock {
  private final ReentrantLock lock = new ReentrantLock();
  public int waits;

  @Override
  public Held acquire(Consumer<String> waiting) {
    if (!lock.tryLock()) {
      waits++;
      waiting.accept("another pass holds the host lock; waiting");
      lock.lock();
    }
    return lock::unlock;
  }

  public boolean isHeld() {
    return lock.isLocked();
  }
}
