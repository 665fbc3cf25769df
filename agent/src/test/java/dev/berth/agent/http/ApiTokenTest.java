package dev.berth.agent.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ApiTokenTest {
  private final ApiToken token = new ApiToken("s3cret-token".getBytes(StandardCharsets.UTF_8));

  @Test
  void onlyTheTokenItselfMatches() {
    assertThat(token.matches("s3cret-token")).isTrue();
    assertThat(token.matches("s3cret-toke")).isFalse();
    assertThat(token.matches("s3cret-token2")).isFalse();
    assertThat(token.matches("S3CRET-TOKEN")).isFalse();
    assertThat(token.matches("")).isFalse();
    assertThat(token.matches(null)).isFalse();
  }

  @Test
  void anEmptyTokenIsRefusedAndNoneIsPrinted() {
    assertThatThrownBy(() -> new ApiToken(new byte[0]))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(token.toString()).doesNotContain("s3cret");
    assertThat(new Caller.Remote("s3cret-token").toString()).doesNotContain("s3cret");
  }
}
