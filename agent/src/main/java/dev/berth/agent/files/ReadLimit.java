package dev.berth.agent.files;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.util.Arrays;

/**
 * A bound on the bytes berth reads from one file. The size is checked before anything is read, and
 * the read itself stops one byte past the bound, so a file that grows meanwhile (or one whose size
 * the kernel does not report, as in {@code /proc}) is cut off as well.
 */
public record ReadLimit(int maxBytes, String what) {

  /**
   * The files berth reads on a host are the ones it writes there (a {@code .nspawn}, a drop-in, a
   * {@code .network}), a few KiB each; anything far larger was put there by someone else.
   */
  public static final ReadLimit HOST_FILE = new ReadLimit(1 << 20, "a file berth reads on a host");

  public ReadLimit {
    if (maxBytes < 0 || maxBytes > Integer.MAX_VALUE - 16) {
      throw new IllegalArgumentException("maxBytes out of range: " + maxBytes);
    }
  }

  /** A file over the limit, refused before (or while) it was read. */
  public static final class Exceeded extends IOException {
    Exceeded(String message) {
      super(message);
    }
  }

  /** Every byte of {@code channel}, read from its current position; {@code shown} names it. */
  public byte[] read(SeekableByteChannel channel, Object shown) throws IOException {
    long size = channel.size();
    if (size > maxBytes) {
      throw new Exceeded(
          "refusing to read "
              + shown
              + ": it is "
              + size
              + " bytes, more than the limit of "
              + maxBytes
              + " bytes for "
              + what);
    }
    byte[] buffer = new byte[(int) Math.min(maxBytes + 1L, Math.max(size + 1, 8192))];
    int filled = 0;
    while (true) {
      if (filled == buffer.length) {
        if (filled > maxBytes) {
          throw new Exceeded(
              "refusing to read "
                  + shown
                  + ": it holds more than the limit of "
                  + maxBytes
                  + " bytes for "
                  + what
                  + " (it grew while it was read)");
        }
        buffer = Arrays.copyOf(buffer, (int) Math.min(maxBytes + 1L, 2L * buffer.length));
      }
      int read = channel.read(ByteBuffer.wrap(buffer, filled, buffer.length - filled));
      if (read < 0) {
        return filled == buffer.length ? buffer : Arrays.copyOf(buffer, filled);
      }
      filled += read;
    }
  }
}
