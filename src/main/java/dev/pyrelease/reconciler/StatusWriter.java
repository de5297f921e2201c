package dev.pyrelease.reconciler;

import dev.pyrelease.api.v1alpha1.PythonRelease;
import dev.pyrelease.api.v1alpha1.PythonReleaseStatus;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;
import java.util.Objects;

/**
 * Writes status only when it changed, as a full update of the status subresource guarded by the
 * resourceVersion (a 409 re-reads and re-applies), and puts the result in JOSDK's cache so the next
 * reconcile sees it. Not a JSON patch against the cache: a patch diffed against a stale copy can
 * duplicate list entries.
 */
final class StatusWriter {
  /**
   * @return true when a write was made
   */
  boolean writeIfChanged(
      PythonRelease primary, PythonReleaseStatus status, Context<PythonRelease> context) {
    if (Objects.equals(primary.getStatus(), status)) {
      return false;
    }
    PrimaryUpdateAndCacheUtils.updateStatusAndCacheResource(
        primary,
        context,
        fresh -> {
          fresh.setStatus(status);
          return fresh;
        });
    return true;
  }
}
