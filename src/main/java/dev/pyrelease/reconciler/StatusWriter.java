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
  private static final int MAX_CONFLICT_RETRIES = 5;
  private static final long CACHE_WAIT_MILLIS = 2_000;
  private static final long CACHE_POLL_MILLIS = 20;

  /**
   * @return true when a write was made
   */
  boolean writeIfChanged(
      PythonRelease primary, PythonReleaseStatus status, Context<PythonRelease> context) {
    if (Objects.equals(primary.getStatus(), status)) {
      return false;
    }
    // PUT of the status subresource with the resourceVersion; on 409 the library waits for the
    // informer to deliver the newer version and re-applies. A real conflict reaches the cache in
    // milliseconds, so wait 2 s (not the default 10 s) before giving up and letting JOSDK retry.
    PrimaryUpdateAndCacheUtils.updateAndCacheResource(
        primary,
        context,
        fresh -> {
          fresh.setStatus(status);
          return fresh;
        },
        r -> context.getClient().resource(r).updateStatus(),
        MAX_CONFLICT_RETRIES,
        CACHE_WAIT_MILLIS,
        CACHE_POLL_MILLIS);
    return true;
  }
}
