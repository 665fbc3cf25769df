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

/**
 * Reads a manifest repository into a {@link ManifestSet}: YAML, then each document's kind and CRD
 * schema, then the checks across documents. Every finding is collected; none throws.
 */
public final class ManifestLoader {
  private final YamlReader reader;
  private final YamlLimits limits;
  private final CrdSchemas schemas;
  private final SchemaCheck schemaCheck;
  private final ResourceBinder binder = new ResourceBinder();
  private final RawSettingsCheck rawSettings = new RawSettingsCheck();

  public ManifestLoader(YamlReader reader, CrdSchemas schemas) {
    this(reader, YamlLimits.DEFAULT, schemas);
  }

  /** A loader that reads within {@code limits}, those of a whole revision included. */
  public ManifestLoader(YamlLimits limits, CrdSchemas schemas) {
    this(new YamlReader(limits), limits, schemas);
  }

  public ManifestLoader() {
    this(YamlLimits.DEFAULT, CrdSchemas.load());
  }

  private ManifestLoader(YamlReader reader, YamlLimits limits, CrdSchemas schemas) {
    this.reader = reader;
    this.limits = limits;
    this.schemas = schemas;
    this.schemaCheck = new SchemaCheck(schemas);
  }

  /** Loads and checks every document of {@code tree}; I/O errors of the tree itself propagate. */
  public LoadResult load(ManifestTree repository, SemanticCheck semanticCheck) throws IOException {
    ManifestTree tree = new ReadOnceTree(repository);
    Diagnostics diagnostics = new Diagnostics();
    List<Sourced<Container>> containers = new ArrayList<>();
    List<Sourced<Zone>> zones = new ArrayList<>();
    List<Sourced<Rollout>> rollouts = new ArrayList<>();
    int documents = 0;
    files:
    for (ManifestFile file : tree.manifests()) {
      for (YamlDocument document : reader.read(file, diagnostics)) {
        if (++documents > limits.maxDocuments()) {
          diagnostics.error(document.file(), document.start(), limits.documentsRefusal());
          break files;
        }
        bind(document, diagnostics, containers, zones, rollouts);
      }
    }
    ManifestSet set =
        new ManifestSet(containers, zones, RolloutRules.theOnly(rollouts, diagnostics));
    try {
      semanticCheck.check(set, tree, diagnostics);
    } catch (UncheckedIOException e) {
      throw e.getCause(); // the tree's kindOf or read failed
    }
    if (!diagnostics.hasErrors()) {
      set = SealedCiphertexts.attach(set, tree);
    }
    return new LoadResult(set, diagnostics.sorted());
  }

  private void bind(
      YamlDocument document,
      Diagnostics diagnostics,
      List<Sourced<Container>> containers,
      List<Sourced<Zone>> zones,
      List<Sourced<Rollout>> rollouts) {
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
      return;
    }
    if (!CrdSchemas.API_VERSION.equals(apiVersion.asText())) {
      diagnostics.error(
          document.file(),
          document.mark("apiVersion"),
          "apiVersion \""
              + apiVersion.asText()
              + "\" is not supported; use "
              + CrdSchemas.API_VERSION);
      return;
    }
    if (!kind.isTextual() || !schemas.knowsKind(kind.asText())) {
      diagnostics.error(
          document.file(),
          document.mark("kind"),
          "unknown kind \""
              + kind.asText()
              + "\"; berth knows "
              + String.join(", ", schemas.kinds()));
      return;
    }
    if (!schemaCheck.check(document, kind.asText(), diagnostics)
        || !rawSettings.check(document, diagnostics)) {
      return;
    }
    try {
      switch (kind.asText()) {
        case "Container" -> containers.add(new Sourced<>(binder.container(root), document));
        case "Zone" -> zones.add(new Sourced<>(binder.zone(root), document));
        case "Rollout" -> rollouts.add(new Sourced<>(binder.rollout(root), document));
        default -> throw new IllegalStateException("no binding for kind " + kind.asText());
      }
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
    }
  }
}
