package dev.berth.agent.errors;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(5)
class CausesTest {
  private final ConnectException inner = new ConnectException("refused");
  private final IOException middle = new IOException("connecting", inner);
  private final UncheckedIOException outer = new UncheckedIOException("fetching", middle);

  @Test
  void aChainIsWalkedOutermostFirstToItsRoot() {
    assertThat(Causes.chain(outer)).containsExactly(outer, middle, inner);
    assertThat(Causes.root(outer)).isSameAs(inner);
  }

  @Test
  void aThrowableWithoutCauseIsItsOwnRoot() {
    assertThat(Causes.chain(inner)).containsExactly(inner);
    assertThat(Causes.root(inner)).isSameAs(inner);
  }

  @Test
  void theOutermostOfATypeIsFound() {
    assertThat(Causes.find(outer, IOException.class)).containsSame(middle);
    assertThat(Causes.find(outer, ConnectException.class)).containsSame(inner);
  }

  @Test
  void aMissingTypeIsNotFound() {
    assertThat(Causes.find(outer, UnknownHostException.class)).isEmpty();
  }

  @Test
  void aCycleIsWalkedOnceAndEndsBeforeItRepeats() {
    IOException a = new IOException("a");
    IOException b = new IOException("b", a);
    a.initCause(b); // a -> b -> a: initCause refuses only a throwable as its own cause

    assertThat(Causes.chain(a)).containsExactly(a, b);
    assertThat(Causes.root(a)).isSameAs(b);
    assertThat(Causes.find(a, ConnectException.class)).isEmpty();
  }

  @Test
  void aThrowableThatNamesItselfAsCauseIsItsOwnRoot() {
    RuntimeException self =
        new RuntimeException("self") {
          @Override
          public synchronized Throwable getCause() {
            return this;
          }
        };

    assertThat(Causes.chain(self)).containsExactly(self);
    assertThat(Causes.root(self)).isSameAs(self);
    assertThat(Causes.find(self, IOException.class)).isEmpty();
  }
}
