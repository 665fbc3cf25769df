package dev.berth.reconciler.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationTextTest {

  @ParameterizedTest
  @CsvSource({
    "10m, PT10M",
    "30m, PT30M",
    "5s, PT5S",
    "4h, PT4H",
    "1h30m, PT1H30M",
    "0s, PT0S",
    "0, PT0S",
    "500ms, PT0.5S",
    "1m30s, PT1M30S",
    "30m1h, PT1H30M",
    "90m, PT1H30M",
    "007s, PT7S",
    "8784h, PT8784H",
  })
  void readsGoDurations(String text, String expected) {
    assertThat(DurationText.parse(text)).isEqualTo(Duration.parse(expected));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"", "5", "-5m", "+5m", "1.5h", "5 m", " 5m", "5m ", "5M", "1d", "m", "5mm", "1h-"})
  void refusesWhatIsNotADuration(String text) {
    assertThatThrownBy(() -> DurationText.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "\""
                + text
                + "\" is not a duration: write whole numbers with units h, m, s or ms, such as 10m"
                + " or 1h30m");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "8785h",
        "8784h1ms",
        "527041m",
        "99999999999999999999h",
        "9223372036854775807s",
        "8000h8000h",
        "0000000000000000000001s1000000000000ms"
      })
  void refusesDurationsBeyondTheBoundInsteadOfOverflowing(String text) {
    assertThatThrownBy(() -> DurationText.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("\"" + text + "\" is longer than berth takes (8784h)");
  }

  @ParameterizedTest
  @CsvSource({
    "PT0S, 0s",
    "PT1H30M, 1h30m",
    "PT720H, 720h",
    "PT1.5S, 1s500ms",
    "PT5S, 5s",
  })
  void formatsSoThatParseReadsItBack(String duration, String text) {
    assertThat(DurationText.format(Duration.parse(duration))).isEqualTo(text);
    assertThat(DurationText.parse(text)).isEqualTo(Duration.parse(duration));
  }
}
