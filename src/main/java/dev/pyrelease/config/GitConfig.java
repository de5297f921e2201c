package dev.pyrelease.config;

import java.time.Duration;

/**
 * How the operator reads git.
 *
 * @param cacheDir where fetched commits are cached ({@code PYRELEASE_GIT_CACHE_DIR})
 * @param allowLocal accept file:// and path URLs ({@code PYRELEASE_GIT_ALLOW_LOCAL=true}); off by
 *     default so a spec cannot read the operator pod's file system
 * @param pollInterval how often a release whose ref is a branch asks git whether the branch moved
 *     ({@code PYRELEASE_GIT_POLL_SECONDS}, default 300; 0: only when the spec changes or the
 *     release is annotated {@code pyrelease.dev/refresh}). Tags and commit SHAs are resolved when
 *     the spec changes only.
 */
public record GitConfig(String cacheDir, boolean allowLocal, Duration pollInterval) {
  public GitConfig(String cacheDir, boolean allowLocal) {
    this(cacheDir, allowLocal, Duration.ofMinutes(5));
  }
}
