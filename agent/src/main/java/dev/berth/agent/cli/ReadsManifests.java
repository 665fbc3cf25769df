package dev.berth.agent.cli;

/**
 * A subcommand that reads manifests: when the command line names one, the CRD schemas, a third of
 * such a run, are made while picocli parses it ({@link Subcommands#readManifests}; README, "CLI
 * start").
 */
interface ReadsManifests {}
