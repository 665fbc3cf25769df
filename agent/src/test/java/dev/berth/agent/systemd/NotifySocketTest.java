package dev.berth.agent.systemd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** sd_notify messages arrive at a real unix datagram socket that the test binds. */
class NotifySocketTest {
  private static final Duration WAIT = Duration.ofSeconds(5);

  @TempDir Path dir;

  @Test
  void sendsOneDatagramOfNewlineSeparatedAssignmentsToAPath() throws Exception {
    try (NotifyListener systemd = NotifyListener.at(dir.resolve("notify"));
        NotifySocket socket = NotifySocket.open(systemd.address())) {
      socket.send("READY=1", "STATUS=last pass success");
      socket.send("WATCHDOG=1");

      assertThat(systemd.receive(WAIT)).isEqualTo("READY=1\nSTATUS=last pass success");
      assertThat(systemd.receive(WAIT)).isEqualTo("WATCHDOG=1");
      assertThat(systemd.receive(Duration.ofMillis(100))).isNull();
    }
  }

  @Test
  void reachesASocketInTheAbstractNamespace() throws Exception {
    String name = "berth-test-" + Long.toHexString(ThreadLocalRandom.current().nextLong());
    try (NotifyListener systemd = NotifyListener.abstractName(name);
        NotifySocket socket = NotifySocket.open(systemd.address())) {
      assertThat(systemd.address()).startsWith("@");
      socket.send("STOPPING=1");

      assertThat(systemd.receive(WAIT)).isEqualTo("STOPPING=1");
    }
  }

  @Test
  void aSocketThatNobodyListensOnIsAnError() throws Exception {
    try (NotifySocket socket = NotifySocket.open(dir.resolve("gone").toString())) {
      assertThatThrownBy(() -> socket.send("READY=1")).isInstanceOf(IOException.class);
    }
  }

  @Test
  void refusesAnAddressThatIsNeitherAPathNorAnAbstractName() {
    assertThatThrownBy(() -> NotifySocket.open("vsock:2:1234"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("vsock:2:1234");
  }
}
