package dev.berth.agent.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The CLI's reading of the agent's answers on the socket, whichever framing Jetty chose. */
class UnixSocketHttpTest {
  private static UnixSocketHttp.Response parse(String text) throws IOException {
    return UnixSocketHttp.parse(text.replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void aContentLengthBody() throws IOException {
    UnixSocketHttp.Response response =
        parse("HTTP/1.1 202 Accepted\nContent-Length: 19\n\nreconcile triggeredEXTRA");
    assertThat(response).isEqualTo(new UnixSocketHttp.Response(202, "reconcile triggered"));
  }

  @Test
  void aChunkedBody() throws IOException {
    UnixSocketHttp.Response response =
        UnixSocketHttp.parse(
            ("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "5\r\nhello\r\n7;ext=1\r\n, world\r\n0\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8));
    assertThat(response).isEqualTo(new UnixSocketHttp.Response(200, "hello, world"));
  }

  @Test
  void aBodyUntilTheConnectionCloses() throws IOException {
    assertThat(parse("HTTP/1.1 403 \nConnection: close\n\nuid 1 (x) may not").body())
        .isEqualTo("uid 1 (x) may not");
  }

  @Test
  void somethingElseIsNoAnswer() {
    assertThatThrownBy(() -> parse("SSH-2.0-OpenSSH\n\n")).hasMessage("not an HTTP answer");
    assertThatThrownBy(() -> parse("HTTP/1.1 abc\n\n"))
        .hasMessageStartingWith("not an HTTP status");
    assertThatThrownBy(() -> parse("HTTP/1.1 200 OK\nTransfer-Encoding: chunked\n\n5\nhel"))
        .hasMessage("a chunked answer ended early");
  }
}
