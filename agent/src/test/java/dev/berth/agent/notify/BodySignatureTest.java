package dev.berth.agent.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class BodySignatureTest {
  /** RFC 4231, test case 2: the HMAC-SHA256 that every implementation agrees on. */
  @Test
  void isTheHmacSha256OfTheBodyInHex() {
    BodySignature signature = new BodySignature("Jefe".getBytes(StandardCharsets.UTF_8));

    assertThat(signature.of("what do ya want for nothing?".getBytes(StandardCharsets.UTF_8)))
        .isEqualTo("sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  }

  @Test
  void anEmptyKeyIsRefusedAndTheKeyIsNeverPrinted() {
    assertThatThrownBy(() -> new BodySignature(new byte[0]))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(new BodySignature("Jefe".getBytes(StandardCharsets.UTF_8)).toString())
        .doesNotContain("Jefe");
  }
}
