package dev.berth.agent.daemon;

import dev.berth.agent.source.SourceFiles;
import dev.berth.reconciler.model.Container;
import dev.berth.reconciler.model.Rollout;
import dev.berth.reconciler.model.Zone;
import java.util.List;
import java.util.Optional;

/**
 * A valid revision with its manifests for this host: what the host should run, and the repository's
 * {@code Rollout}, which says when. Rendered at each pass, as NixOS systems get built.
 */
record DesiredRevision(
    String revision,
    List<Container> containers,
    List<Zone> zones,
    SourceFiles files,
    Optional<Rollout> rollout) {}
