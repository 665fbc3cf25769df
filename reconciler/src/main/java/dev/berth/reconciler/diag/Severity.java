package dev.berth.reconciler.diag;

/** How bad a finding is: an error rejects the whole manifest set, a warning does not. */
public enum Severity {
  ERROR,
  WARNING
}
