package dev.pyrelease.cli;

import java.nio.file.Path;
import java.util.Map;

/**
 * What the commands take from the process environment, read once from a map (only {@code Main}
 * touches the real environment).
 *
 * @param cacheDir where content-addressed caches live ({@code $XDG_CACHE_HOME/pyrelease} or {@code
 *     ~/.cache/pyrelease}); {@code PYRELEASE_CACHE_DIR} overrides it, and an empty value turns
 *     caching off (null)
 * @param debug print stack traces of internal errors ({@code PYRELEASE_DEBUG})
 */
public record CliSettings(Path cacheDir, boolean debug) {
  public static CliSettings from(Map<String, String> env) {
    Path cache;
    String explicit = env.get("PYRELEASE_CACHE_DIR");
    if (explicit != null) {
      cache = explicit.isBlank() ? null : Path.of(explicit);
    } else if (env.get("XDG_CACHE_HOME") != null && !env.get("XDG_CACHE_HOME").isBlank()) {
      cache = Path.of(env.get("XDG_CACHE_HOME"), "pyrelease");
    } else if (env.get("HOME") != null && !env.get("HOME").isBlank()) {
      cache = Path.of(env.get("HOME"), ".cache", "pyrelease");
    } else {
      cache = null;
    }
    return new CliSettings(cache, env.containsKey("PYRELEASE_DEBUG"));
  }

  /** The METADATA cache, keyed by wheel sha256; null when caching is off. */
  public Path metadataCache() {
    return cacheDir == null ? null : cacheDir.resolve("metadata");
  }
}
