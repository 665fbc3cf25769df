package dev.berth.reconciler.load;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.reconciler.diag.Diagnostics;
import dev.berth.reconciler.manifest.ManifestSet;
import dev.berth.reconciler.manifest.Sourced;
import dev.berth.reconciler.model.Container;
import dev.berth.reconciler.model.Rollout;
import dev.berth.reconciler.model.Zone;
import dev.berth.reconciler.parse.FieldPath;
import dev.berth.reconciler.parse.YamlDocument;
import dev.berth.reconciler.parse.YamlLimits;
import dev.berth.reconciler.parse.YamlReader;
import dev.berth.reconciler.source.ManifestFile;
import dev.berth.reconciler.source.ManifestTree;
import dev.berth.reconciler.validate.CrdSchemas;
import dev.berth.reconciler.validate.RawSettingsCheck;
import dev.berth.reconciler.validate.RolloutRules;
import dev.berth.reconciler.validate.SchemaCheck;
import dev.berth.reconciler.validate.SemanticCheck;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Reads a manifest repository into a {@link ManifestSet}: YAML, then each document's kind and CRD
 * schema, then the checks across documents. Every finding is collected; none throws.
 */
public final class ManifestLoader {
  private final YamlReader reader;
  private final YamlLimits limits;
  private final Supplier<CrdSchemas> schemas;
  private final ResourceBinder binder = new ResourceBinder();
  private final RawSettingsCheck rawSettings = new RawSettingsCheck();
  private final ManifestCache cache;
  private final int parallelism;

  /** A loader that reads within {@code limits}, those of a whole revision included. */
  public ManifestLoader(YamlLimits limits, CrdSchemas schemas) {
    this(new YamlReader(limits), limits, () -> schemas);
  }

  /**
   * A loader with the bundled schemas ({@link CrdSchemas#load()}), waited for only when the first
   * document is checked against them: the files are read and parsed while they are made.
   */
  public ManifestLoader() {
    this(new YamlReader(YamlLimits.DEFAULT), YamlLimits.DEFAULT, CrdSchemas::load);
  }

  private ManifestLoader(YamlReader reader, YamlLimits limits, Supplier<CrdSchemas> schemas) {
    this(reader, limits, schemas, null, Runtime.getRuntime().availableProcessors());
  }

  private ManifestLoader(
      YamlReader reader,
      YamlLimits limits,
      Supplier<CrdSchemas> schemas,
      ManifestCache cache,
      int parallelism) {
    if (parallelism < 1) {
      throw new IllegalArgumentException("parallelism must be at least 1, not " + parallelism);
    }
    this.reader = reader;
    this.limits = limits;
    this.schemas = schemas;
    this.cache = cache;
    this.parallelism = parallelism;
  }

  /**
   * What a checked file depends on besides its path and bytes: the key of the cache, made only when
   * there is one (the digest hashes every schema, a cost a one-shot CLI run need not pay).
   */
  private String version() {
    return schemas.get().digest() + " " + limits;
  }

  /**
   * This loader, keeping what it read in {@code cache} and reusing it: the results are the same,
   * and a revision that changed a few files costs a few files' reading.
   */
  public ManifestLoader withCache(ManifestCache cache) {
    return new ManifestLoader(reader, limits, schemas, cache, parallelism);
  }

  /**
   * This loader, reading and checking up to {@code threads} files at once (the machine's processors
   * unless told): the results and their order are the same for any number; 1 reads the files one
   * after the other on the caller's thread.
   */
  public ManifestLoader withParallelism(int threads) {
    return new ManifestLoader(reader, limits, schemas, cache, threads);
  }

  /** Loads and checks every document of {@code tree}; I/O errors of the tree itself propagate. */
  public LoadResult load(ManifestTree repository, SemanticCheck semanticCheck) throws IOException {
    ManifestTree tree = new ReadOnceTree(repository);
    Diagnostics diagnostics = new Diagnostics();
    List<Sourced<Container>> containers = new ArrayList<>();
    List<Sourced<Zone>> zones = new ArrayList<>();
    List<Sourced<Rollout>> rollouts = new ArrayList<>();
    ManifestCache.Load cached = cache == null ? null : cache.begin(version());
    int documents = 0;
    try (FileChecks checks =
        new FileChecks(
            tree.manifests(),
            cached == null ? file -> null : cached::reusable,
            this::check,
            parallelism)) {
      files:
      while (checks.hasNext()) {
        FileChecks.Checked next = checks.next();
        CheckedFile checked = next.checked();
        if (cached != null) {
          cached.used(next.file(), checked, next.reused());
        }
        checked.findings().forEach(diagnostics::add);
        for (CheckedFile.Document document : checked.documents()) {
          YamlDocument yaml = document.yaml();
          if (++documents > limits.maxDocuments()) {
            diagnostics.error(yaml.file(), yaml.start(), limits.documentsRefusal());
            break files;
          }
          document.findings().forEach(diagnostics::add);
          Object resource = document.resource();
          if (resource instanceof Container container) {
            containers.add(new Sourced<>(container, yaml));
          } else if (resource instanceof Zone zone) {
            zones.add(new Sourced<>(zone, yaml));
          } else if (resource instanceof Rollout rollout) {
            rollouts.add(new Sourced<>(rollout, yaml));
          }
        }
      }
    }
    if (cached != null) {
      cached.finish();
    }
    ManifestSet set =
        new ManifestSet(containers, zones, RolloutRules.theOnly(rollouts, diagnostics));
    try {
      semanticCheck.checkAcross(set, tree, diagnostics);
    } catch (UncheckedIOException e) {
      throw e.getCause(); // the tree's kindOf or read failed
    }
    if (!diagnostics.hasErrors()) {
      set = SealedCiphertexts.attach(set, tree);
    }
    return new LoadResult(set, diagnostics.sorted());
  }

  /** Reads one file and checks each of its documents on its own. */
  private CheckedFile check(ManifestFile file) {
    Diagnostics findings = new Diagnostics();
    List<YamlDocument> read = reader.read(file, findings);
    List<CheckedFile.Document> documents = new ArrayList<>(read.size());
    for (YamlDocument document : read) {
      Diagnostics own = new Diagnostics();
      Object resource = bind(document, own);
      if (resource != null) {
        SemanticCheck.checkOnItsOwn(new Sourced<>(resource, document), own);
      }
      documents.add(new CheckedFile.Document(document, resource, own.sorted()));
    }
    return new CheckedFile(findings.sorted(), List.copyOf(documents), file.content().length);
  }

  /** The resource bound from {@code document}, or null when its checks failed. */
  private Object bind(YamlDocument document, Diagnostics diagnostics) {
    JsonNode root = document.root();
    JsonNode apiVersion = root.get("apiVersion");
    JsonNode kind = root.get("kind");
    if (apiVersion == null || kind == null) {
      diagnostics.error(
          document.file(),
          document.start(),
          "not a berth manifest: every document needs apiVersion: "
              + CrdSchemas.API_VERSION
              + " and a kind");
      return null;
    }
    if (!CrdSchemas.API_VERSION.equals(apiVersion.asText())) {
      diagnostics.error(
          document.file(),
          document.mark("apiVersion"),
          "apiVersion \""
              + apiVersion.asText()
              + "\" is not supported; use "
              + CrdSchemas.API_VERSION);
      return null;
    }
    CrdSchemas known = schemas.get();
    if (!kind.isTextual() || !known.knowsKind(kind.asText())) {
      diagnostics.error(
          document.file(),
          document.mark("kind"),
          "unknown kind \""
              + kind.asText()
              + "\"; berth knows "
              + String.join(", ", known.kinds()));
      return null;
    }
    if (!new SchemaCheck(known).check(document, kind.asText(), diagnostics)
        || !rawSettings.check(document, diagnostics)) {
      return null;
    }
    try {
      return switch (kind.asText()) {
        case "Container" -> binder.container(root);
        case "Zone" -> binder.zone(root);
        case "Rollout" -> binder.rollout(root);
        default -> throw new IllegalStateException("no binding for kind " + kind.asText());
      };
    } catch (JsonProcessingException e) {
      // The schema admits a few values that the model cannot hold, such as a port beyond an int.
      List<Object> path = new ArrayList<>();
      if (e instanceof JsonMappingException mapping) {
        for (JsonMappingException.Reference reference : mapping.getPath()) {
          path.add(
              reference.getFieldName() != null ? reference.getFieldName() : reference.getIndex());
        }
      }
      FieldPath at = FieldPath.of(path);
      diagnostics.error(
          document.file(),
          at.isRoot() ? document.start() : document.mark(at),
          (at.isRoot() ? "" : at + ": ")
              + "cannot read "
              + kind.asText()
              + ": "
              + e.getOriginalMessage());
      return null;
    }
  }
}
