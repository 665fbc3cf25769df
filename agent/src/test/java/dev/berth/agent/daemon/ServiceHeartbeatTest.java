package dev.berth.agent.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.agent.status.PassRecord;
import dev.berth.agent.systemd.NotifyListener;
import dev.berth.agent.systemd.NotifySocket;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The heartbeat against a real unix datagram socket bound by the test, driven by a real {@link
 * PassLoop} and a clock the test moves: READY after the first pass, WATCHDOG only while the loop
 * makes progress.
 */
class ServiceHeartbeatTest {
  private static final Duration WAIT = Duration.ofSeconds(5);
  private static final Duration NONE = Duration.ofMillis(150);
  private static final Duration STALL_LIMIT = Duration.ofSeconds(60);
  private static final Duration INTERVAL = Duration.ofSeconds(30);

  @TempDir Path dir;
  private final MovableClock clock = new MovableClock(Instant.parse("2026-11-29T10:00:00Z"));
  private final ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
  private final CountDownLatch passMayEnd = new CountDownLatch(1);
  private final CountDownLatch passStarted = new CountDownLatch(1);
  private NotifyListener systemd;
  private PassLoop loop;
  private ServiceHeartbeat heartbeat;

  /** A clock the test moves by hand. */
  static final class MovableClock extends Clock {
    private volatile Instant now;

    MovableClock(Instant now) {
      this.now = now;
    }

    void advance(Duration by) {
      now = now.plus(by);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }

  @BeforeEach
  void listen() throws Exception {
    systemd = NotifyListener.at(dir.resolve("notify"));
    loop =
        new PassLoop(
            trigger -> {
              passStarted.countDown();
              try {
                passMayEnd.await();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            e -> {},
            clock);
  }

  private ServiceHeartbeat heartbeat(Optional<Duration> watchdog) throws Exception {
    heartbeat =
        new ServiceHeartbeat(
            NotifySocket.open(systemd.address()),
            watchdog,
            loop::progress,
            loop::passStack,
            STALL_LIMIT,
            INTERVAL,
            clock,
            new ActionLog(new PrintStream(logBytes, true, StandardCharsets.UTF_8)));
    return heartbeat;
  }

  @AfterEach
  void close() throws Exception {
    passMayEnd.countDown();
    if (heartbeat != null) {
      heartbeat.close();
    }
    loop.close();
    systemd.close();
  }

  private static PassRecord pass(String result, int actions) {
    return new PassRecord(
        Instant.parse("2026-11-29T10:00:00Z"),
        Duration.ofMillis(250),
        Duration.ofMillis(40),
        "0123456789abcdef0123456789abcdef01234567",
        "startup",
        result,
        java.util.Collections.nCopies(actions, "start web"));
  }

  @Test
  void startSaysTheFirstPassRunsAndExtendsTheStartTimeoutAtOnce() throws Exception {
    heartbeat(Optional.of(Duration.ofSeconds(4))).start();

    assertThat(systemd.receive(WAIT)).isEqualTo("STATUS=first reconcile pass running");
    // Half the watchdog (2 s) is the tick; the start timeout is extended by three ticks.
    assertThat(systemd.receive(WAIT)).isEqualTo("EXTEND_TIMEOUT_USEC=6000000");
  }

  @Test
  void readyOnlyOnceTheFirstPassHasEndedThenWatchdogPings() throws Exception {
    heartbeat(Optional.of(Duration.ofMinutes(2)));
    heartbeat.tick();
    assertThat(systemd.receive(WAIT)).isEqualTo("EXTEND_TIMEOUT_USEC=30000000");

    heartbeat.passFinished(pass("success", 1));
    assertThat(systemd.receive(WAIT))
        .isEqualTo(
            "READY=1\nSTATUS=last pass success at revision 0123456789ab: 1 action in 250 ms"
                + " (startup)");

    heartbeat.tick();
    assertThat(systemd.receive(WAIT)).isEqualTo("WATCHDOG=1");
    heartbeat.passFinished(pass("failed", 2));
    assertThat(systemd.receive(WAIT))
        .isEqualTo(
            "STATUS=last pass failed at revision 0123456789ab: 2 actions in 250 ms (startup)");
  }

  @Test
  void aStuckPassStopsThePingsAndProgressResumesThem() throws Exception {
    heartbeat(Optional.of(Duration.ofMinutes(2)));
    heartbeat.passFinished(pass("success", 0));
    systemd.receive(WAIT);
    loop.trigger("poll");
    assertThat(passStarted.await(5, TimeUnit.SECONDS)).isTrue();
    assertThat(loop.progress().passRunning()).isTrue();
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (loop.passStack().stream().noneMatch(frame -> frame.getMethodName().equals("await"))
        && System.nanoTime() < deadline) {
      Thread.sleep(5); // until the pass waits in its latch
    }

    clock.advance(STALL_LIMIT);
    heartbeat.tick();
    assertThat(systemd.receive(WAIT)).isEqualTo("WATCHDOG=1");

    clock.advance(Duration.ofSeconds(1));
    heartbeat.tick();
    assertThat(systemd.receive(WAIT))
        .isEqualTo(
            "STATUS=reconcile loop stalled: no progress for 61 s; watchdog pings withheld,"
                + " systemd will restart the agent");
    heartbeat.tick();
    assertThat(systemd.receive(NONE)).isNull();
    String log = logBytes.toString(StandardCharsets.UTF_8);
    assertThat(log).contains("msg=\"reconcile loop stalled\" pass_running=true quiet_for=\"61 s\"");
    // Where the pass waits, for the journal: here in the test's latch.
    assertThat(log).containsPattern("pass_at=\"[^\"]*CountDownLatch.await");

    loop.progressed(); // an action finished
    heartbeat.tick();
    assertThat(systemd.receive(WAIT)).isEqualTo("WATCHDOG=1");
    assertThat(logBytes.toString(StandardCharsets.UTF_8))
        .contains("msg=\"reconcile loop progressing again\"");
  }

  @Test
  void aStuckFirstPassNoLongerExtendsTheStartTimeout() throws Exception {
    heartbeat(Optional.empty());
    loop.trigger("startup");
    assertThat(passStarted.await(5, TimeUnit.SECONDS)).isTrue();
    clock.advance(STALL_LIMIT.plusSeconds(1));

    heartbeat.tick();

    assertThat(systemd.receive(WAIT)).startsWith("STATUS=reconcile loop stalled");
    heartbeat.tick();
    assertThat(systemd.receive(NONE)).isNull();
  }

  @Test
  void anIdleLoopIsStuckOnlyWhenNoPollHasStartedAPassForTwoIntervalsBeyondTheLimit()
      throws Exception {
    heartbeat(Optional.of(Duration.ofMinutes(2)));
    heartbeat.passFinished(pass("success", 0));
    systemd.receive(WAIT);
    assertThat(loop.progress().passRunning()).isFalse();

    clock.advance(STALL_LIMIT.plus(INTERVAL.multipliedBy(2)));
    heartbeat.tick();
    assertThat(systemd.receive(WAIT)).isEqualTo("WATCHDOG=1");

    clock.advance(Duration.ofSeconds(1));
    heartbeat.tick();
    assertThat(systemd.receive(WAIT)).startsWith("STATUS=reconcile loop stalled");
    assertThat(logBytes.toString(StandardCharsets.UTF_8)).contains("pass_running=false");
  }

  @Test
  void aPassThatEndsCountsAndLeavesTheLoopIdle() throws Exception {
    loop.trigger("poll");
    assertThat(passStarted.await(5, TimeUnit.SECONDS)).isTrue();
    clock.advance(Duration.ofSeconds(5));
    passMayEnd.countDown();
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (loop.progress().passesFinished() == 0 && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }

    LoopProgress progress = loop.progress();
    assertThat(progress.passesFinished()).isEqualTo(1);
    assertThat(progress.passRunning()).isFalse();
    assertThat(progress.lastSign()).isEqualTo(clock.instant());
  }

  @Test
  void withoutAWatchdogThereIsNothingToPingOnceReady() throws Exception {
    heartbeat(Optional.empty());
    heartbeat.passFinished(pass("success", 0));
    assertThat(systemd.receive(WAIT)).startsWith("READY=1\n");

    heartbeat.tick();

    assertThat(systemd.receive(NONE)).isNull();
  }

  @Test
  void stoppingTellsSystemdAndEndsThePings() throws Exception {
    heartbeat(Optional.of(Duration.ofMinutes(2)));

    heartbeat.stopping();

    assertThat(systemd.receive(WAIT))
        .isEqualTo("STOPPING=1\nSTATUS=stopping: waiting for a running pass to end");
  }
}
