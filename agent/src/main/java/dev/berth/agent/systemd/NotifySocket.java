package dev.berth.agent.systemd;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import jnr.unixsocket.UnixDatagramChannel;
import jnr.unixsocket.UnixSocketAddress;

/**
 * systemd's notification socket ({@code sd_notify(3)}): each message is one datagram of
 * newline-separated {@code KEY=VALUE} assignments sent to {@code $NOTIFY_SOCKET}. Java 17's NIO has
 * no unix datagram sockets, so jnr-unixsocket opens it.
 */
public final class NotifySocket implements AutoCloseable {
  private static final String ASM_PROPERTY = "jnr.ffi.asm.enabled";

  private final UnixSocketAddress address;
  private final String description;
  private final UnixDatagramChannel channel;

  private NotifySocket(UnixSocketAddress address, String description, UnixDatagramChannel channel) {
    this.address = address;
    this.description = description;
    this.channel = channel;
  }

  /**
   * Opens a channel to {@code notifySocket}, a path or, starting with {@code @}, a name in the
   * abstract namespace (as systemd writes it into {@code $NOTIFY_SOCKET}).
   */
  public static NotifySocket open(String notifySocket) throws IOException {
    if (notifySocket == null || notifySocket.length() < 2) {
      throw new IllegalArgumentException("not a notification socket: " + notifySocket);
    }
    boolean abstractName = notifySocket.charAt(0) == '@';
    if (!abstractName && notifySocket.charAt(0) != '/') {
      throw new IllegalArgumentException(
          "not a notification socket (neither /path nor @name): " + notifySocket);
    }
    String path = abstractName ? '\0' + notifySocket.substring(1) : notifySocket;
    // A datagram every few seconds needs no generated call stubs: jnr-ffi's reflective calls keep
    // the agent about 5 MiB smaller (15 MiB more resident with its ASM stubs, 9 without).
    if (System.getProperty(ASM_PROPERTY) == null) {
      System.setProperty(ASM_PROPERTY, "false");
    }
    return new NotifySocket(new UnixSocketAddress(path), notifySocket, UnixDatagramChannel.open());
  }

  /** Sends {@code assignments} ({@code READY=1}, {@code STATUS=...}) as one message. */
  public void send(String... assignments) throws IOException {
    ByteBuffer message =
        ByteBuffer.wrap(String.join("\n", assignments).getBytes(StandardCharsets.UTF_8));
    int sent = channel.send(message, address);
    if (sent != message.limit()) {
      throw new IOException("sent " + sent + " of " + message.limit() + " bytes to " + description);
    }
  }

  @Override
  public String toString() {
    return description;
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
