package dev.berth.agent.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class HmacSha256Test {
  private static final byte[] KEY = "Jefe".getBytes(StandardCharsets.UTF_8);
  private static final byte[] BODY =
      "what do ya want for nothing?".getBytes(StandardCharsets.UTF_8);

  /** RFC 4231, test case 2. */
  private static final String RFC_4231_2 =
      "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843";

  private final HmacSha256 hmac = new HmacSha256(KEY, "the test key");

  @Test
  void signsAsRfc4231Says() {
    assertThat(hmac.hexOf(BODY)).isEqualTo(RFC_4231_2);
  }

  @Test
  void checksAHexSignatureInEitherCaseWithBlanksAroundIt() {
    assertThat(hmac.signs(BODY, RFC_4231_2)).isTrue();
    assertThat(hmac.signs(BODY, " " + RFC_4231_2.toUpperCase() + "\n")).isTrue();
  }

  @Test
  void refusesAnotherBodyAMissingSignatureAndOneThatIsNotHex() {
    assertThat(hmac.signs("other".getBytes(StandardCharsets.UTF_8), RFC_4231_2)).isFalse();
    assertThat(hmac.signs(BODY, null)).isFalse();
    assertThat(hmac.signs(BODY, "sha256=" + RFC_4231_2)).isFalse();
  }

  @Test
  void knowsItsKeyAndNothingLongerOrShorter() {
    assertThat(hmac.isKey("Jefe".getBytes(StandardCharsets.UTF_8))).isTrue();
    assertThat(hmac.isKey("Jef".getBytes(StandardCharsets.UTF_8))).isFalse();
    assertThat(hmac.isKey("Jefe2".getBytes(StandardCharsets.UTF_8))).isFalse();
  }

  @Test
  void refusesAnEmptyKeyNamingItAndNeverPrintsTheKey() {
    assertThatThrownBy(() -> new HmacSha256(new byte[0], "the webhook secret"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the webhook secret is empty");
    assertThat(hmac).asString().doesNotContain("Jefe");
  }

  @Test
  void keepsItsOwnCopyOfTheKey() {
    byte[] key = "abc".getBytes(StandardCharsets.UTF_8);
    HmacSha256 copied = new HmacSha256(key, "k");
    key[0] = 'x';
    assertThat(copied.isKey("abc".getBytes(StandardCharsets.UTF_8))).isTrue();
  }
}
