package dev.berth.reconciler.parse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.reconciler.diag.Diagnostic;
import dev.berth.reconciler.diag.Diagnostics;
import dev.berth.reconciler.load.LoadResult;
import dev.berth.reconciler.model.Host;
import dev.berth.reconciler.source.ManifestFile;
import dev.berth.reconciler.testing.Findings;
import dev.berth.reconciler.testing.InMemoryTree;
import dev.berth.reconciler.validate.SemanticCheck;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.events.DocumentEndEvent;
import org.yaml.snakeyaml.events.DocumentStartEvent;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.events.ScalarEvent;
import org.yaml.snakeyaml.events.StreamEndEvent;
import org.yaml.snakeyaml.events.StreamStartEvent;

/**
 * Hostile and broken input never escapes as an exception: the reader and the loader give either
 * documents or located errors. Tries are bounded so that the suite stays fast.
 */
class YamlReaderFuzzTest {
  private static final String FILE = "m.yaml";

  /** A manifest file that uses much of the API: mutations of it reach every check. */
  static final String VALID =
      """
      # A zone and two containers.
      apiVersion: berth.dev/v1alpha1
      kind: Zone
      metadata:
        name: lan
      spec:
        placement:
          hosts: [host-a, host-b]
        v4:
          hostAddresses: [10.1.0.1/24]
          addrPool: [10.1.0.0/24]
      ---
      apiVersion: berth.dev/v1alpha1
      kind: Container
      metadata:
        name: web
        labels: {tier: front}
        annotations:
          berth.dev/adopt: "true"
      spec:
        placement:
          hosts: [host-a, host-b]
        state: running
        image:
          nixos:
            file: nix/web.nix
        network:
          zone: lan
          forwardPorts:
            - {protocol: tcp, hostPort: 8080, containerPort: 80}
            - hostPort: 8443
          dns: [10.1.0.1, "fd00::1"]
        bindMounts:
          - hostPath: /srv/www
            containerPath: /var/www
            readOnly: true
        privateUsers: pick
        capabilities: [CAP_NET_ADMIN]
        resources:
          memoryMax: 512M
          cpuQuota: 150%
          tasksMax: 512
        credentials:
          - id: db.password
            path: /run/keys/db
        timeoutStartSec: 5min 30s
        activation:
          strategy: dynamic
        nspawn:
          Exec:
            Boot: false
            Environment: [A=1, "B=two words"]
          Network:
            Port: tcp:9000:9000
        dependsOn: [db]
      ---
      apiVersion: berth.dev/v1alpha1
      kind: Container
      metadata:
        name: db
      spec:
        placement:
          selector:
            matchLabels: {role: db}
            matchExpressions:
              - {key: disk, operator: In, values: [ssd]}
        image:
          tarball:
            url: https://example.org/db.tar.xz
            sha256: 0c6e0b1a8cbd2e5f4d7b7c7f4b8d3e2a1f0e9d8c7b6a5f4e3d2c1b0a9f8e7d6c
        network:
          v4:
            static:
              containerPool: [10.2.0.2/24]
              hostAddresses: [10.2.0.1/24]
            gateway: 10.2.0.1
          v6:
            static:
              containerPool: ["fd00:2::2/64"]
        removePolicy: Retain
      """;

  /** Characters that mean something to YAML, and some that make readers stumble. */
  private static final String SPECIAL =
      ":-[]{}&*!|>'\"#%@`,?~ \n\t\r\\/.=0123456789"
          + "\u0000\u0007\u0085\u00a0\u2028\u2029\ufeff\u00e9\u20ac\ud83d\ude00";

  private final YamlReader reader = new YamlReader();

  @Property(tries = 400)
  void arbitraryTextNeverThrowsFromTheReader(@ForAll("text") String text) {
    checkReader(text.getBytes(StandardCharsets.UTF_8));
  }

  @Property(tries = 300)
  void arbitraryBytesNeverThrowFromTheReader(@ForAll @Size(max = 400) byte[] bytes) {
    checkReader(bytes);
  }

  @Property(tries = 300)
  void mutatedManifestsNeverThrowFromTheReader(@ForAll("mutated") String text) {
    checkReader(text.getBytes(StandardCharsets.UTF_8));
  }

  @Property(tries = 250)
  void mutatedManifestsGiveResourcesOrLocatedErrorsFromTheLoader(@ForAll("mutated") String text) {
    checkLoader(text, SemanticCheck.forAllHosts());
    checkLoader(
        text, SemanticCheck.forHost(new Host("host-a", Map.of("role", "db", "disk", "ssd"))));
  }

  @Property(tries = 150)
  void arbitraryTextGivesLocatedErrorsFromTheLoader(@ForAll("text") String text) {
    checkLoader(text, SemanticCheck.forAllHosts());
  }

  @Property(tries = 100)
  void arbitraryValuesInAValidManifestGiveLocatedErrorsFromTheLoader(
      @ForAll("fieldLines") String field, @ForAll("text") String value) {
    String quoted =
        "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
    checkLoader(
        VALID.replace(field, field.substring(0, field.indexOf(':') + 2) + quoted),
        SemanticCheck.forAllHosts());
  }

  @Example
  void theUnmutatedManifestIsValid() {
    LoadResult result = load(VALID, SemanticCheck.forAllHosts());

    assertThat(result.diagnostics()).isEmpty();
    assertThat(result.manifests().containers()).hasSize(2);
    assertThat(result.manifests().zones()).hasSize(1);
  }

  @Provide
  Arbitrary<String> text() {
    return Arbitraries.oneOf(
        Arbitraries.strings().withChars(SPECIAL).withCharRange('a', 'z').ofMaxLength(120),
        Arbitraries.strings().all().ofMaxLength(80),
        Arbitraries.strings()
            .withChars(SPECIAL)
            .ofMaxLength(40)
            .list()
            .ofMaxSize(8)
            .map(lines -> String.join("\n", lines)));
  }

  @Provide
  Arbitrary<String> fieldLines() {
    return Arbitraries.of(
        VALID
            .lines()
            .filter(line -> line.matches("^ *[A-Za-z.]+: [^{\\[].*$"))
            .distinct()
            .toList());
  }

  @Provide
  Arbitrary<String> mutated() {
    Arbitrary<Edit> edit =
        Combinators.combine(
                Arbitraries.of(Operation.values()),
                Arbitraries.integers().between(0, Integer.MAX_VALUE),
                Arbitraries.strings()
                    .withChars(SPECIAL)
                    .withCharRange('a', 'z')
                    .ofMinLength(1)
                    .ofMaxLength(3))
            .as(Edit::new);
    return edit.list()
        .ofMinSize(1)
        .ofMaxSize(5)
        .map(
            edits -> {
              String text = VALID;
              for (Edit e : edits) {
                text = e.apply(text);
              }
              return text;
            });
  }

  private enum Operation {
    INSERT,
    DELETE,
    REPLACE,
    DUPLICATE_LINE,
    DELETE_LINE
  }

  private record Edit(Operation operation, int position, String text) {
    String apply(String in) {
      int at = position % (in.length() + 1);
      return switch (operation) {
        case INSERT -> in.substring(0, at) + text + in.substring(at);
        case DELETE ->
            in.substring(0, at) + in.substring(Math.min(in.length(), at + text.length()));
        case REPLACE ->
            at == in.length() ? in + text : in.substring(0, at) + text + in.substring(at + 1);
        case DUPLICATE_LINE, DELETE_LINE -> {
          List<String> lines = new java.util.ArrayList<>(in.lines().toList());
          if (lines.isEmpty()) {
            yield in;
          }
          int line = position % lines.size();
          if (operation == Operation.DUPLICATE_LINE) {
            lines.add(line, lines.get(line));
          } else {
            lines.remove(line);
          }
          yield String.join("\n", lines) + "\n";
        }
      };
    }
  }

  private void checkReader(byte[] bytes) {
    // What the reader sees: a lone surrogate of a Java string is already '?' in UTF-8.
    String decoded = new String(bytes, StandardCharsets.UTF_8);
    Diagnostics diagnostics = new Diagnostics();
    long start = System.nanoTime();

    List<YamlDocument> documents = reader.read(new ManifestFile(FILE, bytes), diagnostics);

    assertThat(System.nanoTime() - start).as("reading took too long").isLessThan(5_000_000_000L);
    List<Diagnostic> found = diagnostics.sorted();
    assertLocated(found, decoded);
    assertThat(found).allSatisfy(d -> assertThat(d.isError()).isTrue());
    if (!documents.isEmpty()) {
      assertThat(found).as("a file with errors gives no documents").isEmpty();
      assertThat(documents)
          .allSatisfy(
              d -> {
                assertThat(d.root().isObject()).isTrue();
                assertThat(d.start().line()).isGreaterThanOrEqualTo(1);
              });
    } else if (found.isEmpty()) {
      assertHoldsNoDocument(decoded);
    }
  }

  private void checkLoader(String text, SemanticCheck check) {
    long start = System.nanoTime();

    LoadResult result = load(text, check);

    assertThat(System.nanoTime() - start).as("loading took too long").isLessThan(5_000_000_000L);
    assertLocated(
        result.diagnostics(),
        new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8));
    assertThat(result.diagnostics())
        .isSortedAccordingTo(Diagnostic.BY_LOCATION)
        .doesNotHaveDuplicates();
    int documents =
        reader
            .read(new ManifestFile(FILE, text.getBytes(StandardCharsets.UTF_8)), new Diagnostics())
            .size();
    int resources = result.manifests().containers().size() + result.manifests().zones().size();
    if (result.valid()) {
      assertThat(resources).as("every document of a valid set is a resource").isEqualTo(documents);
    } else {
      assertThat(result.errorCount()).isPositive();
      assertThat(resources).isLessThanOrEqualTo(documents);
    }
  }

  private static LoadResult load(String text, SemanticCheck check) {
    InMemoryTree tree = InMemoryTree.of(FILE, text).put("nix/web.nix", "{ }");
    return Findings.load(tree, check);
  }

  /** Every finding names the file, a line of it and a column, and a one-line message. */
  private static void assertLocated(List<Diagnostic> diagnostics, String text) {
    int lines = lineCount(text);
    assertThat(diagnostics)
        .allSatisfy(
            d -> {
              assertThat(d.file()).isEqualTo(FILE);
              assertThat(d.line()).as(d.format()).isBetween(1, lines);
              assertThat(d.column()).as(d.format()).isGreaterThanOrEqualTo(1);
              assertThat(d.message())
                  .as(d.format())
                  .isNotBlank()
                  .doesNotContain("\n", "Exception", "\tat ");
            });
  }

  /** Lines as YAML counts them (a last line without a break counts, and the line after the end). */
  private static int lineCount(String text) {
    int breaks = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean crlf = c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n';
      if ((c == '\n' || c == '\r' || c == '\u0085' || c == '\u2028' || c == '\u2029') && !crlf) {
        breaks++;
      }
    }
    return breaks + 1;
  }

  /** What the reader skipped without a word must hold no document for SnakeYAML's parser either. */
  private static void assertHoldsNoDocument(String text) {
    Set<String> nulls = Set.of("", "~", "null", "Null", "NULL");
    String body = text.startsWith("\ufeff") ? text.substring(1) : text;
    for (Event event : new Yaml(new LoaderOptions()).parse(new java.io.StringReader(body))) {
      if (event instanceof ScalarEvent scalar) {
        assertThat(scalar.getScalarStyle())
            .as("document of %s", text)
            .isEqualTo(DumperOptions.ScalarStyle.PLAIN);
        assertThat(nulls).as("document of %s", text).contains(scalar.getValue());
      } else {
        assertThat(event)
            .as("document of %s", text)
            .isInstanceOfAny(
                StreamStartEvent.class,
                StreamEndEvent.class,
                DocumentStartEvent.class,
                DocumentEndEvent.class);
      }
    }
  }
}
