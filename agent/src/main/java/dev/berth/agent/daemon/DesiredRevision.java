package dev.berth.agent.daemon;

import dev.berth.agent.source.SourceFiles;
import dev.berth.reconciler.model.Container;
import dev.berth.reconciler.model.Zone;
import java.util.List;

/**
 * The newest valid revision with its manifests for this host: what the host should run. Rendered at
 * each pass, as NixOS systems get built.
 */
record DesiredRevision(
    String revision, List<Container> containers, List<Zone> zones, SourceFiles files) {}
