package dev.berth.agent.dbus;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Matches {@code JobRemoved} signals to the jobs berth started. A signal may arrive before the call
 * that started the job has returned its path, so early results are kept (a bounded number).
 */
final class JobWatcher {
  private static final int MAX_EARLY = 4096;

  private final Map<String, CompletableFuture<String>> waiting = new LinkedHashMap<>();
  private final Map<String, String> early =
      new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
          return size() > MAX_EARLY;
        }
      };

  synchronized void removed(String jobPath, String result) {
    CompletableFuture<String> future = waiting.remove(jobPath);
    if (future != null) {
      future.complete(result);
    } else {
      early.put(jobPath, result);
    }
  }

  /** Waits for the job's result; {@code null} when it did not end within {@code timeout}. */
  String await(String jobPath, Duration timeout) throws InterruptedException {
    CompletableFuture<String> future;
    synchronized (this) {
      String result = early.remove(jobPath);
      if (result != null) {
        return result;
      }
      future = waiting.computeIfAbsent(jobPath, path -> new CompletableFuture<>());
    }
    try {
      return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      synchronized (this) {
        waiting.remove(jobPath);
      }
      return null;
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    }
  }
}
