package dev.berth.agent.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

/** Real HTTP calls to a server on loopback, for the integration tests. */
final class TestHttp {
  private final HttpClient client =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .proxy(HttpClient.Builder.NO_PROXY)
          .build();
  private final InetSocketAddress address;
  private final String bearer;

  TestHttp(InetSocketAddress address) {
    this(address, null);
  }

  /** Every request carries {@code Authorization: Bearer TOKEN} (null: none). */
  TestHttp(InetSocketAddress address, String bearer) {
    this.address = address;
    this.bearer = bearer;
  }

  URI uri(String pathAndQuery) {
    return URI.create("http://127.0.0.1:" + address.getPort() + pathAndQuery);
  }

  HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return send(request(path).GET().build());
  }

  HttpResponse<String> post(String path, String... headers)
      throws IOException, InterruptedException {
    return post(path, new byte[0], headers);
  }

  HttpResponse<String> post(String path, byte[] body, String... headers)
      throws IOException, InterruptedException {
    HttpRequest.Builder request = request(path).POST(HttpRequest.BodyPublishers.ofByteArray(body));
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return send(request.build());
  }

  HttpResponse<String> method(String method, String path) throws IOException, InterruptedException {
    return send(request(path).method(method, HttpRequest.BodyPublishers.noBody()).build());
  }

  HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
    return client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }

  HttpRequest.Builder request(String path) {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10));
    if (bearer != null) {
      request.header("Authorization", "Bearer " + bearer);
    }
    return request;
  }

  /**
   * Sends a whole request (head, and body if any) over a unix socket, as a local process would, and
   * returns the answer.
   */
  static UnixSocketHttp.Response overSocket(Path socket, String request) throws IOException {
    try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      channel.connect(UnixDomainSocketAddress.of(socket));
      channel.write(
          ByteBuffer.wrap(request.replace("\n", "\r\n").getBytes(StandardCharsets.US_ASCII)));
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      ByteBuffer buffer = ByteBuffer.allocate(8192);
      while (channel.read(buffer) >= 0) {
        all.write(buffer.array(), 0, buffer.position());
        buffer.clear();
      }
      return UnixSocketHttp.parse(all.toByteArray());
    }
  }

  /**
   * Sends request headers only, over a raw socket, and returns the status line: for what a
   * well-behaved client cannot send, such as a huge Content-Length without its body.
   */
  String rawStatusLine(String head) throws IOException {
    try (Socket socket = new Socket(address.getAddress(), address.getPort())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(head.replace("\n", "\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      StringBuilder line = new StringBuilder();
      for (int c = in.read(); c != -1 && c != '\r'; c = in.read()) {
        line.append((char) c);
      }
      return line.toString();
    }
  }
}
