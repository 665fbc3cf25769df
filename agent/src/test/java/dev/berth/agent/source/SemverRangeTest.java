package dev.berth.agent.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SemverRangeTest {

  @ParameterizedTest(name = "{0} admits {1}: {2}")
  @CsvSource(
      textBlock =
          """
      1.2.3              , 1.2.3        , true
      1.2.3              , 1.2.4        , false
      =1.2.3             , 1.2.3        , true
      v1.2.3             , 1.2.3        , true
      >=1.2.0 <2.0.0     , 1.2.0        , true
      >=1.2.0 <2.0.0     , 1.99.7       , true
      >=1.2.0 <2.0.0     , 2.0.0        , false
      >=1.2.0 <2.0.0     , 1.1.9        , false
      >= 1.2.0 < 2.0.0   , 1.5.0        , true
      >1.2.3             , 1.2.3        , false
      >1.2.3             , 1.2.4        , true
      <=1.2.3            , 1.2.3        , true
      >1.2               , 1.2.9        , false
      >1.2               , 1.3.0        , true
      <=1.2              , 1.2.9        , true
      <=1.2              , 1.3.0        , false
      <1.2               , 1.1.9        , true
      <1.2               , 1.2.0        , false
      ^1.2               , 1.2.0        , true
      ^1.2               , 1.9.9        , true
      ^1.2               , 2.0.0        , false
      ^1.2               , 1.1.0        , false
      ^1.2.3             , 1.2.2        , false
      ^0.2.3             , 0.2.9        , true
      ^0.2.3             , 0.3.0        , false
      ^0.0.3             , 0.0.3        , true
      ^0.0.3             , 0.0.4        , false
      ^0.x               , 0.9.0        , true
      ^0.x               , 1.0.0        , false
      ~1.2.3             , 1.2.9        , true
      ~1.2.3             , 1.3.0        , false
      ~1.2.3             , 1.2.2        , false
      ~1.2               , 1.2.0        , true
      ~1                 , 1.9.0        , true
      ~1                 , 2.0.0        , false
      1.x                , 1.0.0        , true
      1.x                , 1.99.0       , true
      1.x                , 2.0.0        , false
      1.2.*              , 1.2.7        , true
      1.2.*              , 1.3.0        , false
      1                  , 1.4.0        , true
      *                  , 7.0.0        , true
      ''                 , 7.0.0        , true
      1.2 - 1.4          , 1.4.9        , true
      1.2 - 1.4          , 1.5.0        , false
      1.2.3 - 1.4.0      , 1.4.0        , true
      1.2.3 - 1.4.0      , 1.4.1        , false
      ^1 || ^3           , 2.0.0        , false
      ^1 || ^3           , 3.1.0        , true
      ^1.2               , 1.3.0-rc.1   , false
      >=1.0.0 <2.0.0     , 1.5.0-beta   , false
      *                  , 2.0.0-rc.1   , false
      >=1.0.0-0          , 1.3.0-rc.1   , true
      >=1.0.0-0 <2.0.0   , 2.0.0-rc.1   , true
      >=1.0.0-0 <2.0.0-0 , 2.0.0-rc.1   , false
      ^1.2.0-0           , 1.9.0-alpha  , true
      ^1.2.0-0           , 2.0.0-alpha  , false
      ~1.2.3-beta.2      , 1.2.3-beta.3 , true
      ~1.2.3-beta.2      , 1.2.3-beta.1 , false
      1.2.3-rc.1         , 1.2.3-rc.1   , true
      """)
  void admits(String range, String version, boolean admitted) {
    SemVer v = SemVer.parseTag(version).orElseThrow();

    assertThat(SemverRange.parse(range).test(v)).isEqualTo(admitted);
  }

  @Test
  void highestPicksByPrecedenceNotByText() {
    List<SemVer> versions = versions("1.2.0", "1.10.0", "1.9.0", "2.0.0-rc.1", "1.10.0-rc.1");

    assertThat(SemverRange.parse("^1").highest(versions)).hasValue(v("1.10.0"));
    assertThat(SemverRange.parse(">=1.0.0-0").highest(versions)).hasValue(v("2.0.0-rc.1"));
    assertThat(SemverRange.parse("^3").highest(versions)).isEmpty();
  }

  @Test
  void versionsFollowSemverPrecedence() {
    List<SemVer> ordered =
        versions(
            "1.0.0-alpha",
            "1.0.0-alpha.1",
            "1.0.0-alpha.beta",
            "1.0.0-beta",
            "1.0.0-beta.2",
            "1.0.0-beta.11",
            "1.0.0-rc.1",
            "1.0.0",
            "1.0.1",
            "1.1.0",
            "2.0.0");
    for (int i = 1; i < ordered.size(); i++) {
      assertThat(ordered.get(i - 1)).isLessThan(ordered.get(i));
    }
    assertThat(v("1.0.0+build.5")).isEqualByComparingTo(v("1.0.0"));
  }

  @Test
  void tagsThatAreNotStrictVersionsAreNotVersions() {
    for (String tag : List.of("1.2", "latest", "v1.2.3.4", "01.2.3", "1.2.3-", "V1.2.3", "")) {
      assertThat(SemVer.parseTag(tag)).as(tag).isEmpty();
    }
    assertThat(SemVer.parseTag("v1.2.3")).hasValue(v("1.2.3"));
  }

  @Test
  void aMalformedRangeSaysWhy() {
    assertThatThrownBy(() -> SemverRange.parse(">=a.b"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("\"a.b\"");
    assertThatThrownBy(() -> SemverRange.parse("1.2.3 >="))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("operator");
  }

  private static SemVer v(String text) {
    return SemVer.parseTag(text).orElseThrow();
  }

  private static List<SemVer> versions(String... texts) {
    return java.util.Arrays.stream(texts).map(SemverRangeTest::v).toList();
  }

  @Test
  void aTagWhoseNumberOverflowsIsNoVersionInsteadOfAnError() {
    assertThat(SemVer.parseTag("v99999999999999999999.0.0")).isEmpty();
    assertThat(SemVer.parseTag("v999999999999999999.0.0")).isPresent();
  }
}
