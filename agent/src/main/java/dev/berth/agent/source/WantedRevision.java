package dev.berth.agent.source;

import java.util.List;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.transport.RefSpec;

/**
 * What the remote says the source should be at: the object a ref points to (a commit, or an
 * annotated tag that leads to one), how to describe it, and what to fetch when it is missing.
 */
record WantedRevision(ObjectId id, String description, List<RefSpec> fetchSpecs) {}
