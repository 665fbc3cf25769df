package dev.berth.agent.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HtmlTest {
  @Test
  void escapesTheFiveCharactersThatEndTextOrAnAttribute() {
    assertThat(Html.escape("<script>alert(\"x\" & 'y')</script>"))
        .isEqualTo("&lt;script&gt;alert(&quot;x&quot; &amp; &#39;y&#39;)&lt;/script&gt;");
  }

  @Test
  void leavesOtherTextAloneAndUnicodeWhole() {
    String text = "web: started it · ünïcode 🚢 a=b; c/d";
    assertThat(Html.escape(text)).isSameAs(text);
  }

  @Test
  void escapesAnAmpersandOnceSoThatAReferenceInTheTextStaysText() {
    assertThat(Html.escape("&lt;")).isEqualTo("&amp;lt;");
    assertThat(Html.escape("a&")).isEqualTo("a&amp;");
  }

  @Test
  void nullIsEmpty() {
    assertThat(Html.escape(null)).isEmpty();
    assertThat(Html.escape("")).isEmpty();
  }
}
