package dev.berth.agent.files;

import dev.berth.reconciler.apply.HostLock;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * The host lock as a POSIX record lock on {@code /var/lib/berth/inventory.lock}: the agent holds it
 * for the changing part of each pass, {@code berth create|update|remove} for one command. The
 * kernel drops it when the holder dies, so a killed process never leaves the host locked. The file
 * names the holder, for the message of whoever waits.
 */
public final class HostLockFile implements HostLock {
  private final Path file;
  private final String holder;
  private final ReentrantLock inProcess = new ReentrantLock();

  /**
   * @param holder what this process is, for others' waiting message ("berth agent", "berth create")
   */
  public HostLockFile(Path stateDir, String holder) {
    this.file = stateDir.resolve("inventory.lock");
    this.holder = holder;
  }

  // The holder's line, as written below; what is not that (too long) names no one.
  private static final ReadLimit HOLDER = new ReadLimit(4096, "the holder of berth's host lock");

  private String holder(FileChannel channel) throws IOException {
    try {
      return new String(HOLDER.read(channel.position(0), file), StandardCharsets.UTF_8).strip();
    } catch (ReadLimit.Exceeded e) {
      return "";
    }
  }

  @Override
  public Held acquire(Consumer<String> waiting) throws IOException {
    inProcess.lock();
    FileChannel channel = null;
    try {
      Files.createDirectories(file.getParent());
      channel =
          FileChannel.open(
              file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
      FileLock lock = channel.tryLock();
      if (lock == null) {
        String other = holder(channel);
        waiting.accept(
            (other.isEmpty() ? "another berth process" : other)
                + " holds "
                + file
                + "; waiting for it to finish");
        lock = channel.lock();
      }
      channel.truncate(0);
      channel.write(
          ByteBuffer.wrap(
              (holder + " (pid " + ProcessHandle.current().pid() + ")\n")
                  .getBytes(StandardCharsets.UTF_8)),
          0);
      FileChannel held = channel;
      FileLock taken = lock;
      return () -> {
        try {
          held.truncate(0);
          taken.release();
          held.close();
        } finally {
          inProcess.unlock();
        }
      };
    } catch (IOException | RuntimeException e) {
      if (channel != null) {
        channel.close();
      }
      inProcess.unlock();
      throw e;
    }
  }
}
