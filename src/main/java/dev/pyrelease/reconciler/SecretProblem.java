package dev.pyrelease.reconciler;

/**
 * A Secret the release names is missing (transient: it may be created next) or lacks a key the
 * operator needs (terminal until the Secret is fixed; re-checked now and then, since a Secret's
 * change does not reconcile the release).
 */
final class SecretProblem extends RuntimeException {
  private final String reason;
  private final boolean terminal;

  SecretProblem(String reason, String message, boolean terminal) {
    super(message);
    this.reason = reason;
    this.terminal = terminal;
  }

  String reason() {
    return reason;
  }

  boolean terminal() {
    return terminal;
  }
}
