package dev.berth.reconciler.parse;

import static dev.berth.reconciler.testing.Findings.assertFindings;
import static dev.berth.reconciler.testing.Findings.at;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.reconciler.diag.Diagnostics;
import dev.berth.reconciler.diag.Mark;
import dev.berth.reconciler.source.ManifestFile;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class YamlReaderTest {
  private final Diagnostics diagnostics = new Diagnostics();

  private List<YamlDocument> read(String text) {
    return read(new YamlReader(), text);
  }

  private List<YamlDocument> read(YamlReader reader, String text) {
    return reader.read(
        new ManifestFile("m.yaml", text.getBytes(StandardCharsets.UTF_8)), diagnostics);
  }

  private List<YamlDocument> readBytes(byte[] bytes) {
    return new YamlReader().read(new ManifestFile("m.yaml", bytes), diagnostics);
  }

  @Nested
  class Documents {
    @Test
    void readsEveryDocumentOfAFileAndSkipsEmptyOnes() {
      List<YamlDocument> documents =
          read(
              """
              ---
              ---
              kind: A
              ---

              ---
              # only a comment
              ---
              kind: B
              ---
              ~
              ---
              kind: C
              ---
              """);

      assertThat(diagnostics.sorted()).isEmpty();
      assertThat(documents)
          .extracting(d -> d.root().get("kind").asText())
          .containsExactly("A", "B", "C");
      assertThat(documents)
          .extracting(YamlDocument::start)
          .containsExactly(new Mark(3, 1), new Mark(9, 1), new Mark(13, 1));
      assertThat(documents).allSatisfy(d -> assertThat(d.file()).isEqualTo("m.yaml"));
    }

    @Test
    void aTrailingSeparatorIsAnEmptyDocument() {
      List<YamlDocument> documents = read("kind: A\n---\n");

      assertThat(diagnostics.sorted()).isEmpty();
      assertThat(documents).hasSize(1);
    }

    @Test
    void aFileWithNothingButCommentsHasNoDocumentsAndNoErrors() {
      assertThat(read("")).isEmpty();
      assertThat(read("# nothing here\n\n")).isEmpty();
      assertThat(diagnostics.sorted()).isEmpty();
    }

    @Test
    void keepsScalarTypes() {
      YamlDocument document =
          read("""
                  s: text
                  i: 42
                  big: 123456789012345678901234567890
                  f: 1.5
                  t: true
                  n: ~
                  q: "42"
                  """)
              .get(0);

      assertThat(diagnostics.sorted()).isEmpty();
      assertThat(document.root().get("s").isTextual()).isTrue();
      assertThat(document.root().get("i").isIntegralNumber()).isTrue();
      assertThat(document.root().get("i").intValue()).isEqualTo(42);
      assertThat(document.root().get("big").bigIntegerValue().toString())
          .isEqualTo("123456789012345678901234567890");
      assertThat(document.root().get("f").decimalValue()).isEqualByComparingTo("1.5");
      assertThat(document.root().get("t").booleanValue()).isTrue();
      assertThat(document.root().get("n").isNull()).isTrue();
      assertThat(document.root().get("q").textValue()).isEqualTo("42");
    }

    @Test
    void acceptsAByteOrderMarkAndCrLfLineEnds() {
      byte[] text = "kind: A\r\nname: x\r\n".getBytes(StandardCharsets.UTF_8);
      byte[] withBom = new byte[text.length + 3];
      withBom[0] = (byte) 0xef;
      withBom[1] = (byte) 0xbb;
      withBom[2] = (byte) 0xbf;
      System.arraycopy(text, 0, withBom, 3, text.length);

      List<YamlDocument> documents = readBytes(withBom);

      assertThat(diagnostics.sorted()).isEmpty();
      assertThat(documents)
          .singleElement()
          .satisfies(
              d -> {
                assertThat(d.root().get("name").asText()).isEqualTo("x");
                assertThat(d.mark("name")).isEqualTo(new Mark(2, 7));
              });
    }
  }

  @Nested
  class Marks {
    private final YamlDocument document =
        read("""
                apiVersion: v1
                spec:
                  hosts: [a, b]
                  list:
                    - name: first
                    -   name: second
                        port: 80
                  nested:
                    deeper: {x: 1, "y": two}
                  "quoted key": 'v'
                  multi: |
                    line one
                    line two
                """)
            .get(0);

    @Test
    void valueMarksPointAtTheValue() {
      assertThat(diagnostics.sorted()).isEmpty();
      assertThat(document.mark("apiVersion")).isEqualTo(new Mark(1, 13));
      assertThat(document.mark("spec", "hosts")).isEqualTo(new Mark(3, 10));
      assertThat(document.mark("spec", "hosts", 0)).isEqualTo(new Mark(3, 11));
      assertThat(document.mark("spec", "hosts", 1)).isEqualTo(new Mark(3, 14));
      assertThat(document.mark("spec", "list", 0)).isEqualTo(new Mark(5, 7));
      assertThat(document.mark("spec", "list", 1, "name")).isEqualTo(new Mark(6, 15));
      assertThat(document.mark("spec", "list", 1, "port")).isEqualTo(new Mark(7, 15));
      assertThat(document.mark("spec", "nested", "deeper", "y")).isEqualTo(new Mark(9, 25));
      assertThat(document.mark("spec", "quoted key")).isEqualTo(new Mark(10, 17));
      assertThat(document.mark("spec", "multi")).isEqualTo(new Mark(11, 10));
    }

    @Test
    void keyMarksPointAtTheKey() {
      assertThat(document.keyMark(List.of("spec"))).isEqualTo(new Mark(2, 1));
      assertThat(document.keyMark(List.of("spec", "hosts"))).isEqualTo(new Mark(3, 3));
      assertThat(document.keyMark(List.of("spec", "list", 1, "port"))).isEqualTo(new Mark(7, 9));
      assertThat(document.keyMark(List.of("spec", "nested", "deeper", "x")))
          .isEqualTo(new Mark(9, 14));
      assertThat(document.keyMark(List.of("spec", "quoted key"))).isEqualTo(new Mark(10, 3));
      // For a list item, the key mark is the item's.
      assertThat(document.keyMark(List.of("spec", "hosts", 1))).isEqualTo(new Mark(3, 14));
    }

    @Test
    void aMissingPathFallsBackToItsNearestKnownAncestor() {
      assertThat(document.mark("spec", "nested", "absent", "more")).isEqualTo(new Mark(9, 5));
      assertThat(document.mark("spec", "hosts", 7)).isEqualTo(new Mark(3, 10));
      assertThat(document.mark("spec", "hosts", "notAnIndex")).isEqualTo(new Mark(3, 10));
      assertThat(document.mark("spec", "hosts", 0, "belowAScalar")).isEqualTo(new Mark(3, 11));
      assertThat(document.mark("nothing")).isEqualTo(new Mark(1, 1));
      assertThat(document.mark()).isEqualTo(new Mark(1, 1));
    }

    @Test
    void scalarsSharedBetweenPlacesKeepTheirOwnMarks() {
      YamlDocument same = read("a: same\nb: same\nc: [same, same]\n").get(0);

      assertThat(same.mark("a")).isEqualTo(new Mark(1, 4));
      assertThat(same.mark("b")).isEqualTo(new Mark(2, 4));
      assertThat(same.mark("c", 1)).isEqualTo(new Mark(3, 11));
    }

    @Test
    void columnsCountCharactersNotBytes() {
      YamlDocument document = read("note: \"äöü €\"\nafter: 1\nx: [ä, b]\n").get(0);

      assertThat(document.mark("after")).isEqualTo(new Mark(2, 8));
      assertThat(document.mark("x", 1)).isEqualTo(new Mark(3, 8));
    }

    @Test
    void documentsAfterTheFirstHaveTheirOwnLines() {
      List<YamlDocument> documents = read("a: 1\n---\nb: 2\nc:\n  d: 3\n");

      assertThat(documents.get(1).start()).isEqualTo(new Mark(3, 1));
      assertThat(documents.get(1).mark("c", "d")).isEqualTo(new Mark(5, 6));
      assertThat(documents.get(1).keyMark(List.of("c"))).isEqualTo(new Mark(4, 1));
    }
  }

  @Nested
  class Refusals {
    @Test
    void billionLaughsIsRefusedAtItsFirstAlias() {
      String bomb =
          """
          a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]
          b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
          c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
          d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
          e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]
          f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]
          g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]
          h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]
          i: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h]
          """;

      assertThat(read(bomb)).isEmpty();
      assertFindings(diagnostics, at("m.yaml:2:8", "YAML aliases (*a) are not allowed"));
    }

    @Test
    void anyAliasIsRefusedEvenOfAScalar() {
      assertThat(read("kind: Container\nname: &n web\nother: *n\n")).isEmpty();
      assertFindings(diagnostics, at("m.yaml:3:8", "YAML aliases (*n) are not allowed"));
    }

    @Test
    void mergeKeysNeedAliasesAndAreRefusedToo() {
      assertThat(read("base: &b {x: 1}\nspec:\n  <<: *b\n")).isEmpty();
      assertFindings(diagnostics, at("m.yaml:3:7", "YAML aliases (*b) are not allowed"));
    }

    @Test
    void anAnchorWithoutAliasIsHarmless() {
      assertThat(read("name: &n web\n")).hasSize(1);
      assertThat(diagnostics.sorted()).isEmpty();
    }

    @Test
    void nestingUpToTheLimitIsFineAndDeeperIsRefused() {
      YamlReader reader = new YamlReader(new YamlLimits(1 << 20, 3, 10));

      // The document's mapping is level 1.
      assertThat(read(reader, "a: [[1]]\n")).hasSize(1);
      assertThat(diagnostics.sorted()).isEmpty();

      assertThat(read(reader, "a: [[[1]]]\n")).isEmpty();
      assertFindings(diagnostics, at("m.yaml:1:6", "nesting deeper than 3 levels is not allowed"));
    }

    @Test
    void deepNestingIsRefusedWithTheDefaultLimitWithoutAStackOverflow() {
      String deep = "a: " + "[".repeat(100_000) + "\n";

      assertThat(read(deep)).isEmpty();
      assertFindings(diagnostics, at("m.yaml:1:67", "nesting deeper than 64 levels"));
    }

    @Test
    void deepBlockNestingIsRefusedAtTheLineWhereItGoesTooDeep() {
      StringBuilder text = new StringBuilder();
      for (int i = 0; i < 80; i++) {
        text.append(" ".repeat(i)).append("k:\n");
      }

      assertThat(read(text.toString())).isEmpty();
      assertFindings(diagnostics, at("m.yaml:65:65", "nesting deeper than 64 levels"));
    }

    @Test
    void filesOverTheSizeLimitAreRefusedBeforeParsing() {
      YamlReader reader = new YamlReader(new YamlLimits(100, 64, 10));

      assertThat(read(reader, "a: " + "x".repeat(96) + "\n")).hasSize(1); // 100 bytes
      assertThat(diagnostics.sorted()).isEmpty();

      assertThat(read(reader, "a: " + "x".repeat(97) + "\n")).isEmpty(); // 101 bytes
      assertFindings(
          diagnostics, at("m.yaml:1:1", "file is 101 bytes, more than the limit of 100 bytes"));
    }

    @Test
    void theDefaultSizeLimitIsOneMebibyte() {
      byte[] huge = new byte[(1 << 20) + 1];
      java.util.Arrays.fill(huge, (byte) '#');

      assertThat(readBytes(huge)).isEmpty();
      assertFindings(
          diagnostics, at("m.yaml:1:1", "file is 1048577 bytes, more than the limit of 1048576"));
    }

    @Test
    void tooManyDocumentsInOneFileAreRefused() {
      YamlReader reader = new YamlReader(new YamlLimits(1 << 20, 64, 2));

      assertThat(read(reader, "a: 1\n---\nb: 2\n---\nc: 3\n")).isEmpty();
      assertFindings(diagnostics, at("m.yaml:5:1", "more than 2 documents in one file"));
    }

    @Test
    void duplicateKeysAreRefusedAtTheSecondKey() {
      assertThat(read("kind: Container\nspec:\n  state: running\n  image: {}\n  state: stopped\n"))
          .isEmpty();
      assertFindings(diagnostics, at("m.yaml:5:3", "duplicate key \"state\""));
    }

    @Test
    void duplicateKeysAreRefusedInFlowMappingsToo() {
      assertThat(read("a: {x: 1, y: 2, x: 3}\n")).isEmpty();
      assertFindings(diagnostics, at("m.yaml:1:17", "duplicate key \"x\""));
    }

    @Test
    void invalidUtf8IsRefusedWithItsLineAndColumn() {
      byte[] bytes = "kind: Container\nname: we".getBytes(StandardCharsets.UTF_8);
      byte[] bad = java.util.Arrays.copyOf(bytes, bytes.length + 3);
      bad[bytes.length] = (byte) 0xff;
      bad[bytes.length + 1] = 'b';
      bad[bytes.length + 2] = '\n';

      assertThat(readBytes(bad)).isEmpty();
      assertFindings(
          diagnostics, at("m.yaml:2:9", "invalid UTF-8 at byte 24; manifests must be UTF-8 text"));
    }

    @Test
    void invalidUtf8AfterMultiByteCharactersCountsCharacters() {
      // "ä" is two bytes, "😀" four bytes and two UTF-16 units, but one column each.
      byte[] prefix = "a: ä😀".getBytes(StandardCharsets.UTF_8);
      byte[] bad = java.util.Arrays.copyOf(prefix, prefix.length + 1);
      bad[prefix.length] = (byte) 0xc3; // a truncated two-byte sequence at the end

      assertThat(readBytes(bad)).isEmpty();
      assertFindings(diagnostics, at("m.yaml:1:6", "invalid UTF-8 at byte 9"));
    }

    @Test
    void overlongAndSurrogateEncodingsAreInvalidUtf8() {
      assertThat(readBytes(new byte[] {'a', ':', ' ', (byte) 0xc0, (byte) 0xaf})).isEmpty();
      assertThat(readBytes(new byte[] {'\n', (byte) 0xed, (byte) 0xa0, (byte) 0x80})).isEmpty();
      assertFindings(
          diagnostics,
          at("m.yaml:1:4", "invalid UTF-8 at byte 3"),
          at("m.yaml:2:1", "invalid UTF-8 at byte 1"));
    }

    @Test
    void controlCharactersAreRefusedWhereTheyStand() {
      assertThat(read("kind: Container\nname: we\u0000b\n")).isEmpty();
      assertFindings(diagnostics, at("m.yaml:2:9", "special characters are not allowed (U+0000)"));
    }

    @Test
    void aScalarDocumentIsNotAManifest() {
      assertThat(read("just text\n")).isEmpty();
      assertFindings(
          diagnostics, at("m.yaml:1:1", "a manifest document must be a mapping, not a string"));
    }

    @Test
    void aQuotedEmptyStringIsAScalarDocumentNotAnEmptyOne() {
      assertThat(read("--- \"\"\n")).isEmpty();
      assertFindings(diagnostics, at("m.yaml:1:5", "must be a mapping, not a string"));
    }

    @Test
    void anEmptyBlockScalarIsAScalarDocumentNotAnEmptyOne() {
      assertThat(read("kind: A\n--- |\n")).isEmpty();
      assertFindings(diagnostics, at("m.yaml:2:5", "must be a mapping, not a string"));
    }

    @Test
    void aListDocumentIsNotAManifest() {
      assertThat(read("kind: A\n---\n- kind: B\n- kind: C\n")).isEmpty();
      assertFindings(
          diagnostics, at("m.yaml:3:1", "a manifest document must be a mapping, not a list"));
    }

    @Test
    void numberAndBooleanDocumentsAreNotManifests() {
      assertThat(read("42\n")).isEmpty();
      assertThat(read("--- true\n")).isEmpty();
      assertFindings(
          diagnostics,
          at("m.yaml:1:1", "must be a mapping, not a number"),
          at("m.yaml:1:5", "must be a mapping, not a boolean"));
    }

    @Test
    void anUnclosedQuoteIsReportedWithWhereTheQuoteStarts() {
      assertThat(read("kind: Container\nname: \"web\nspec: {}\n")).isEmpty();
      assertFindings(
          diagnostics,
          at(
              "m.yaml:4:1",
              "invalid YAML: found unexpected end of stream"
                  + " (while scanning a quoted scalar that starts at line 2, column 7)"));
    }

    @Test
    void badIndentationIsReportedWhereItGoesWrong() {
      assertThat(read("spec:\n  image: x\n state: running\n")).isEmpty();
      assertFindings(
          diagnostics,
          at(
              "m.yaml:3:2",
              "invalid YAML: expected <block end>, but found '<block mapping start>'"
                  + " (while parsing a block mapping that starts at line 1, column 1)"));
    }

    @Test
    void tabsInIndentationAreReportedAtTheTab() {
      assertThat(read("spec:\n\timage: x\n")).isEmpty();
      assertFindings(diagnostics, at("m.yaml:2:1", "invalid YAML: found character '\\t(TAB)'"));
    }

    @Test
    void aMappingValueInAPlainScalarIsReported() {
      assertThat(read("kind: Container\nname: a: b\n")).isEmpty();
      assertFindings(
          diagnostics, at("m.yaml:2:8", "invalid YAML: mapping values are not allowed here"));
    }

    @Test
    void anUnclosedFlowListIsReported() {
      assertThat(read("hosts: [a, b\n")).isEmpty();
      assertFindings(
          diagnostics,
          at(
              "m.yaml:2:1",
              "expected ',' or ']', but got <stream end>"
                  + " (while parsing a flow sequence that starts at line 1, column 8)"));
    }

    @Test
    void numbersThatNoFieldCanHoldAreReportedAtTheNumber() {
      assertThat(read("a: 1\nb: .inf\n")).isEmpty();
      assertThat(read("a: 1\nb: " + "9".repeat(1001) + "\n")).isEmpty();
      assertFindings(
          diagnostics,
          at("m.yaml:2:4", "cannot read the number .inf; quote it"),
          at(
              "m.yaml:2:4",
              "cannot read the number 9999999999999999999999999999999999999999... (1001 digits)"));
    }

    @Test
    void anErrorInALaterDocumentDropsTheWholeFile() {
      assertThat(read("kind: A\n---\nkind: B\n  bad: indent\n")).isEmpty();
      assertThat(diagnostics.errorCount()).isEqualTo(1);
      assertThat(diagnostics.sorted().get(0).format()).startsWith("m.yaml:4:6: invalid YAML:");
    }

    @Test
    void aRefusedFileIsReportedWithItsReason() {
      List<YamlDocument> documents =
          new YamlReader()
              .read(
                  ManifestFile.refused("evil.yaml", "symlink leads outside the repository"),
                  diagnostics);

      assertThat(documents).isEmpty();
      assertFindings(diagnostics, at("evil.yaml:1:1", "symlink leads outside the repository"));
    }
  }
}
