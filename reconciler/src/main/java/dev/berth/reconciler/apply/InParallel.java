package dev.berth.reconciler.apply;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * Runs one task per item on up to a given number of threads and returns their results in the items'
 * order. Every task ends before it returns; one that threw (an {@link Error}, a process dying) is
 * rethrown then, as it was.
 */
final class InParallel {
  private InParallel() {}

  static <T, R> List<R> map(List<T> items, int parallelism, Function<T, R> task) {
    int threads = (int) Math.min(Math.max(1, parallelism), items.size());
    if (threads <= 1) {
      return items.stream().map(task).toList();
    }
    ExecutorService executor = Executors.newFixedThreadPool(threads);
    try {
      List<Future<R>> futures = new ArrayList<>();
      for (T item : items) {
        futures.add(executor.submit(() -> task.apply(item)));
      }
      List<R> results = new ArrayList<>();
      Throwable thrown = null;
      for (Future<R> future : futures) {
        try {
          results.add(future.get());
        } catch (ExecutionException e) {
          thrown = thrown == null ? e.getCause() : thrown;
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while the tasks ran", e);
        }
      }
      if (thrown instanceof Error error) {
        throw error;
      }
      if (thrown instanceof RuntimeException failure) {
        throw failure;
      }
      if (thrown != null) {
        throw new IllegalStateException(thrown);
      }
      return results;
    } finally {
      executor.shutdownNow();
    }
  }
}
