package dev.pyrelease.cli.options;

import dev.pyrelease.engine.BuildWorkspace;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where a build works: its workspace and Jib's layer cache. */
public final class WorkspaceOptions {
  @Option(
      names = "--workspace",
      paramLabel = "DIR",
      description =
          "Use this workspace (kept). Default: a per-repository workspace under the cache"
              + " directory (--cache-dir, else PYRELEASE_CACHE_DIR/~/.cache/pyrelease), reused so"
              + " that Jib's layer cache hits for unchanged distributions; a temporary one when"
              + " that is in use or there is no cache directory.")
  private Path workspace;

  @Option(
      names = "--cache-dir",
      paramLabel = "DIR",
      description = "Jib's layer cache (default: <cache dir>/jib, see PYRELEASE_CACHE_DIR).")
  private Path cacheDir;

  /** {@code --workspace}, or null. */
  public Path workspace() {
    return workspace;
  }

  /**
   * Jib's layer cache: {@code --cache-dir}, else {@code jib} in the CLI's cache directory, else
   * null (Jib's default).
   *
   * @param cliCache the CLI's cache directory, or null when caching is off
   */
  public Path jibCache(Path cliCache) {
    return jibCache(cacheDir, cliCache);
  }

  /** {@link #jibCache(Path)} of a {@code --cache-dir} given otherwise. */
  public static Path jibCache(Path cacheDir, Path cliCache) {
    if (cacheDir != null) {
      return cacheDir;
    }
    return cliCache == null ? null : cliCache.resolve("jib");
  }

  /** The workspace of this run, chosen on first use (see {@link BuildWorkspace}). */
  public BuildWorkspace open(Path cliCache, PrintWriter err) {
    return new BuildWorkspace(workspace, jibCache(cliCache), err);
  }
}
