package dev.berth.reconciler.migrate;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EnvironmentFileTest {

  @Test
  void readsTheModulesFormatWithItsBlankLinesAndQuotes() {
    EnvironmentFile file =
        EnvironmentFile.parse("web.conf", Fixtures.read("etc/nixos-containers/web.conf"));

    assertThat(file.findings()).isEmpty();
    assertThat(file.entries().get("HOST_PORT"))
        .isEqualTo(new ConfEntry("HOST_PORT", "tcp:8080:80", 7));
    assertThat(file.entries().get("INTERFACES").value()).isEmpty();
    assertThat(file.entries().get("EXTRA_NSPAWN_FLAGS").value())
        .isEqualTo(" --bind-ro=/etc/ssl/certs --bind=/srv/web:/srv/data");
    assertThat(file.entries().get("EXTRA_NSPAWN_FLAGS").line()).isEqualTo(25);
  }

  @Test
  void followsSystemdQuotingCommentsAndContinuations() {
    EnvironmentFile file =
        EnvironmentFile.parse(
            "x.conf",
            """
            # a comment
            ; another
              INDENTED=yes
            SINGLE='a "b" $c'
            DOUBLE="a \\"b\\" \\\\c"
            LONG=one \\
            two
            AFTER=1
            """);

    assertThat(file.findings()).isEmpty();
    assertThat(file.entries().get("INDENTED").value()).isEqualTo("yes");
    assertThat(file.entries().get("SINGLE").value()).isEqualTo("a \"b\" $c");
    assertThat(file.entries().get("DOUBLE").value()).isEqualTo("a \"b\" \\c");
    assertThat(file.entries().get("LONG").value()).isEqualTo("one two");
    assertThat(file.entries().get("AFTER").line()).isEqualTo(8);
  }

  @Test
  void reportsLinesThatAreNotAssignmentsAndKeysSetTwice() {
    EnvironmentFile file = EnvironmentFile.parse("x.conf", "A=1\njust words\nB=\"open\nA=2\n");

    assertThat(file.findings())
        .extracting(Finding::toString)
        .containsExactly(
            "x.conf:2: not a KEY=VALUE assignment; ignored",
            "x.conf:3: B: the value's quote is not closed; ignored",
            "x.conf:4: A is set again (first on line 1); this value counts");
    assertThat(file.entries().get("A").value()).isEqualTo("2");
  }
}
