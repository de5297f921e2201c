package dev.pyrelease.reconciler;

import org.slf4j.MDC;

/**
 * The revision a reconcile is working on, in SLF4J's MDC as {@code revision} (the log pattern
 * prints it as {@code revision=N}). The release itself is JOSDK's MDC ({@code resource.namespace},
 * {@code resource.name}), set around every reconcile. Only names and numbers go here, never a value
 * from a Secret.
 */
final class LogContext {
  static final String REVISION = "revision";

  private LogContext() {}

  static void revision(Integer n) {
    if (n == null) {
      MDC.remove(REVISION);
    } else {
      MDC.put(REVISION, Integer.toString(n));
    }
  }

  static void clear() {
    MDC.remove(REVISION);
  }
}
