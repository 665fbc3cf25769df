package dev.berth.reconciler.migrate;

import java.util.List;
import java.util.Map;

/**
 * A Container manifest made from an old container: the files to write (relative path to content;
 * the manifest and its Nix files), the warnings (old settings not carried over, at their line), the
 * notes written into the manifest, and what the user still has to do.
 */
public record MigratedContainer(
    String name,
    String source,
    String manifestPath,
    Map<String, String> files,
    List<Finding> warnings,
    List<String> notes,
    List<String> todo) {}
