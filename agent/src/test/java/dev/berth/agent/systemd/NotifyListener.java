package dev.berth.agent.systemd;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import jnr.unixsocket.UnixDatagramChannel;
import jnr.unixsocket.UnixSocketAddress;

/** A unix datagram socket bound by the test, where systemd's would be: it receives sd_notify. */
public final class NotifyListener implements AutoCloseable {
  private final UnixDatagramChannel channel;
  private final String address;

  private NotifyListener(UnixDatagramChannel channel, String address) {
    this.channel = channel;
    this.address = address;
  }

  /** Bound to the file {@code path}. */
  public static NotifyListener at(Path path) throws IOException {
    return bind(path.toString(), path.toString());
  }

  /** Bound to {@code name} in the abstract namespace; its address is {@code @name}. */
  public static NotifyListener abstractName(String name) throws IOException {
    return bind('\0' + name, "@" + name);
  }

  private static NotifyListener bind(String path, String address) throws IOException {
    UnixDatagramChannel channel = UnixDatagramChannel.open();
    channel.bind(new UnixSocketAddress(path));
    channel.configureBlocking(false);
    return new NotifyListener(channel, address);
  }

  /** What goes into {@code $NOTIFY_SOCKET}. */
  public String address() {
    return address;
  }

  /** The next message, or null when none arrives within {@code wait}. */
  public String receive(Duration wait) throws IOException, InterruptedException {
    ByteBuffer buffer = ByteBuffer.allocate(4096);
    long deadline = System.nanoTime() + wait.toNanos();
    do {
      if (receiveNow(buffer)) {
        buffer.flip();
        return StandardCharsets.UTF_8.decode(buffer).toString();
      }
      Thread.sleep(5);
    } while (System.nanoTime() < deadline);
    return null;
  }

  /** jnr's non-blocking receive reports "nothing yet" as EAGAIN rather than as null. */
  private boolean receiveNow(ByteBuffer buffer) throws IOException {
    try {
      return channel.receive(buffer) != null || buffer.position() > 0;
    } catch (IOException e) {
      if (String.valueOf(e.getMessage()).contains("temporarily unavailable")) {
        return false;
      }
      throw e;
    }
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
