package dev.pyrelease.config;

/**
 * How the operator reads git.
 *
 * @param cacheDir where fetched commits are cached ({@code PYRELEASE_GIT_CACHE_DIR})
 * @param allowLocal accept file:// and path URLs ({@code PYRELEASE_GIT_ALLOW_LOCAL=true}); off by
 *     default so a spec cannot read the operator pod's file system
 */
public record GitConfig(String cacheDir, boolean allowLocal) {}
