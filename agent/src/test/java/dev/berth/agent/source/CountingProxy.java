package dev.berth.agent.source;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy on 127.0.0.1 in front of a server on 127.0.0.1 that counts the bytes each way: what a
 * poll costs on the wire, headers and all.
 */
final class CountingProxy implements AutoCloseable {
  private final ServerSocket listener;
  private final int target;
  private final ExecutorService threads = Executors.newCachedThreadPool();
  private final AtomicLong up = new AtomicLong();
  private final AtomicLong down = new AtomicLong();

  CountingProxy(int target) throws IOException {
    this.target = target;
    this.listener = new ServerSocket(0, 256, InetAddress.getLoopbackAddress());
    threads.execute(this::accept);
  }

  int port() {
    return listener.getLocalPort();
  }

  /** Bytes from the clients to the server and back, so far. */
  long bytes() {
    return up.get() + down.get();
  }

  private void accept() {
    while (!listener.isClosed()) {
      try {
        Socket client = listener.accept();
        Socket server = new Socket(InetAddress.getLoopbackAddress(), target);
        threads.execute(() -> copy(client, server, up));
        threads.execute(() -> copy(server, client, down));
      } catch (IOException closed) {
        return;
      }
    }
  }

  private static void copy(Socket from, Socket to, AtomicLong counter) {
    byte[] buffer = new byte[16384];
    try (InputStream in = from.getInputStream();
        OutputStream out = to.getOutputStream()) {
      for (int n; (n = in.read(buffer)) >= 0; ) {
        out.write(buffer, 0, n);
        out.flush();
        counter.addAndGet(n);
      }
    } catch (IOException ended) {
      // one side closed: the connection ends
    } finally {
      closeQuietly(from);
      closeQuietly(to);
    }
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException ignored) {
      // already closed
    }
  }

  @Override
  public void close() throws IOException {
    listener.close();
    threads.shutdownNow();
  }
}
