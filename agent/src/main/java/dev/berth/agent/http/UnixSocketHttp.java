package dev.berth.agent.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * Plain HTTP/1.1 over the agent's unix socket, one request per connection: what the CLI needs of a
 * client, and no more (the JDK's HTTP client speaks only TCP).
 */
final class UnixSocketHttp {
  /** The agent's answers are lines and a status document; more than this is not an answer. */
  static final int MAX_RESPONSE = 16 * 1024 * 1024;

  /** A response: its status code and body. */
  record Response(int status, String body) {}

  private final Path socket;
  private final Duration timeout;

  UnixSocketHttp(Path socket, Duration timeout) {
    this.socket = socket;
    this.timeout = timeout;
  }

  /**
   * Sends {@code method target} with no body and reads the whole answer.
   *
   * @throws java.net.SocketException as the JDK reports a socket that is missing, refuses, or may
   *     not be opened
   * @throws java.nio.channels.AsynchronousCloseException when no answer came within the timeout
   */
  Response exchange(String method, String target) throws IOException {
    try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      channel.connect(UnixDomainSocketAddress.of(socket));
      Thread watchdog = watchdog(channel);
      try {
        String head =
            method
                + " "
                + target
                + " HTTP/1.1\r\nHost: localhost\r\nUser-Agent: berth\r\nContent-Length: 0\r\n"
                + "Connection: close\r\n\r\n";
        ByteBuffer out = ByteBuffer.wrap(head.getBytes(StandardCharsets.US_ASCII));
        while (out.hasRemaining()) {
          channel.write(out);
        }
        return parse(readAll(channel));
      } finally {
        watchdog.interrupt();
      }
    }
  }

  // A blocking unix channel has no read timeout; closing it from another thread ends the read.
  private Thread watchdog(SocketChannel channel) {
    Thread thread =
        new Thread(
            () -> {
              try {
                Thread.sleep(timeout.toMillis());
                channel.close();
              } catch (InterruptedException | IOException e) {
                // answered in time, or already closed
              }
            },
            "berth-socket-timeout");
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  private static byte[] readAll(SocketChannel channel) throws IOException {
    ByteArrayOutputStream all = new ByteArrayOutputStream(4096);
    ByteBuffer buffer = ByteBuffer.allocate(8192);
    while (channel.read(buffer) >= 0) {
      buffer.flip();
      all.write(buffer.array(), 0, buffer.limit());
      buffer.clear();
      if (all.size() > MAX_RESPONSE) {
        throw new IOException("the answer is larger than " + MAX_RESPONSE / (1024 * 1024) + " MiB");
      }
    }
    return all.toByteArray();
  }

  static Response parse(byte[] bytes) throws IOException {
    String text = new String(bytes, StandardCharsets.ISO_8859_1);
    int end = text.indexOf("\r\n\r\n");
    if (end < 0 || !text.startsWith("HTTP/1.")) {
      throw new IOException("not an HTTP answer");
    }
    String[] lines = text.substring(0, end).split("\r\n");
    String[] statusLine = lines[0].split(" ", 3);
    int status;
    try {
      status = Integer.parseInt(statusLine.length > 1 ? statusLine[1] : "");
    } catch (NumberFormatException e) {
      throw new IOException("not an HTTP status line: " + lines[0]);
    }
    boolean chunked = false;
    long length = -1;
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon < 0) {
        continue;
      }
      String name = lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT);
      String value = lines[i].substring(colon + 1).strip();
      if (name.equals("transfer-encoding") && value.toLowerCase(Locale.ROOT).contains("chunked")) {
        chunked = true;
      } else if (name.equals("content-length")) {
        try {
          length = Long.parseLong(value);
        } catch (NumberFormatException e) {
          throw new IOException("malformed Content-Length: " + value);
        }
      }
    }
    int start = end + 4;
    byte[] body;
    if (chunked) {
      body = dechunk(bytes, start);
    } else {
      int stop = length < 0 ? bytes.length : (int) Math.min(bytes.length, start + length);
      body = java.util.Arrays.copyOfRange(bytes, start, stop);
    }
    return new Response(status, new String(body, StandardCharsets.UTF_8));
  }

  private static byte[] dechunk(byte[] bytes, int at) throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    int position = at;
    while (true) {
      int lineEnd = indexOf(bytes, position);
      if (lineEnd < 0) {
        throw new IOException("a chunked answer ended early");
      }
      String size = new String(bytes, position, lineEnd - position, StandardCharsets.US_ASCII);
      int semicolon = size.indexOf(';');
      int length;
      try {
        length =
            Integer.parseInt((semicolon < 0 ? size : size.substring(0, semicolon)).strip(), 16);
      } catch (NumberFormatException e) {
        throw new IOException("malformed chunk size: " + size);
      }
      position = lineEnd + 2;
      if (length == 0) {
        return body.toByteArray();
      }
      if (length < 0 || position + length > bytes.length) {
        throw new IOException("a chunked answer ended early");
      }
      body.write(bytes, position, length);
      position += length + 2;
    }
  }

  private static int indexOf(byte[] bytes, int from) {
    for (int i = from; i + 1 < bytes.length; i++) {
      if (bytes[i] == '\r' && bytes[i + 1] == '\n') {
        return i;
      }
    }
    return -1;
  }
}
