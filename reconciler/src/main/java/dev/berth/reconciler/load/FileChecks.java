package dev.berth.reconciler.load;

import dev.berth.reconciler.source.ManifestFile;
import java.io.InterruptedIOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A load's files checked on up to {@code parallelism} threads and handed back one by one in the
 * tree's order, so that what is made of them does not depend on which thread finished first.
 *
 * <p>Files are independent until the checks across documents, so each is read and checked on its
 * own; a file that {@code reuse} gives (a cache hit) is not checked again. At most {@code 2 x
 * parallelism} files are checked ahead of the one being handed back: a load that stops early (too
 * many documents) reads only a few files more than it uses, and the heap holds only those few
 * beyond what the load keeps anyway.
 */
final class FileChecks implements AutoCloseable {
  private static final AtomicInteger POOLS = new AtomicInteger();

  private final Iterator<ManifestFile> files;
  private final Function<ManifestFile, CheckedFile> reuse;
  private final Function<ManifestFile, CheckedFile> check;
  private final int parallelism;
  private final int window;
  private final Deque<Pending> ahead = new ArrayDeque<>();
  private ExecutorService threads;

  /** One file's result, and whether it came from {@code reuse} rather than a check. */
  record Checked(ManifestFile file, CheckedFile checked, boolean reused) {}

  private record Pending(ManifestFile file, Future<CheckedFile> result, boolean reused) {}

  /**
   * @param reuse the file's earlier result, or null when it must be checked
   * @param check reads and checks one file; it must be safe to call from several threads at once
   */
  FileChecks(
      List<ManifestFile> files,
      Function<ManifestFile, CheckedFile> reuse,
      Function<ManifestFile, CheckedFile> check,
      int parallelism) {
    if (parallelism < 1) {
      throw new IllegalArgumentException("parallelism must be at least 1, not " + parallelism);
    }
    this.files = files.iterator();
    this.reuse = reuse;
    this.check = check;
    this.parallelism = parallelism;
    this.window = parallelism == 1 ? 1 : 2 * parallelism;
  }

  boolean hasNext() {
    return !ahead.isEmpty() || files.hasNext();
  }

  /**
   * The next file's result, in the order of the files; unchecked exceptions of a check propagate.
   */
  Checked next() throws InterruptedIOException {
    while (ahead.size() < window && files.hasNext()) {
      ManifestFile file = files.next();
      CheckedFile earlier = reuse.apply(file);
      ahead.add(
          earlier != null
              ? new Pending(file, CompletableFuture.completedFuture(earlier), true)
              : new Pending(file, start(file), false));
    }
    Pending pending = ahead.remove();
    return new Checked(pending.file(), result(pending.result()), pending.reused());
  }

  private Future<CheckedFile> start(ManifestFile file) {
    if (parallelism == 1) {
      return CompletableFuture.completedFuture(check.apply(file));
    }
    if (threads == null) {
      int pool = POOLS.incrementAndGet();
      AtomicInteger count = new AtomicInteger();
      threads =
          Executors.newFixedThreadPool(
              parallelism,
              task -> {
                Thread thread =
                    new Thread(task, "berth-load-" + pool + "-" + count.incrementAndGet());
                thread.setDaemon(true);
                return thread;
              });
    }
    return threads.submit(() -> check.apply(file));
  }

  private static CheckedFile result(Future<CheckedFile> future) throws InterruptedIOException {
    try {
      return future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      InterruptedIOException interrupted =
          new InterruptedIOException("interrupted while checking manifest files");
      interrupted.initCause(e);
      throw interrupted;
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (cause instanceof Error error) {
        throw error;
      }
      throw new IllegalStateException("checking a manifest file failed", cause);
    }
  }

  /** Stops the checks still running and their threads. */
  @Override
  public void close() {
    if (threads != null) {
      threads.shutdownNow();
    }
  }
}
