package dev.pyrelease.engine;

import dev.pyrelease.image.ImageWriter;
import dev.pyrelease.image.RegistryCredentials;
import dev.pyrelease.image.RegistryHttp;
import dev.pyrelease.image.RegistryOptions;
import dev.pyrelease.release.VenvScript;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What the builds of one command share: the image writer (its HTTP client remembers that a registry
 * answers over plain HTTP, and it keeps dependency-image configs by digest), the base digest
 * resolver and the venv script. A {@code build --watch} session makes one and calls {@link #next}
 * for every rebuild; a fresh writer per rebuild paid two refused TLS handshakes and a config fetch
 * each time. Each build gets its own {@link JibProgress}: it records the blobs Jib skipped, and
 * times its lines from the build's start.
 */
public final class BuildSession {
  private final ImageWriter writer;
  private final BaseImageDigest digests;
  private final VenvScript script = VenvScript.fromJar();
  private final AtomicReference<JibProgress> progress = new AtomicReference<>();
  private final String version;

  /**
   * @param cacheDir Jib's layer cache, or null for Jib's default
   * @param version pyrelease's version (part of the builder version the keys name)
   */
  public BuildSession(
      RegistryCredentials credentials, boolean insecure, Path cacheDir, String version) {
    this(credentials, insecure, false, cacheDir, version);
  }

  /**
   * @param credentialsOverHttp send credentials to a registry that answers over plain HTTP
   */
  public BuildSession(
      RegistryCredentials credentials,
      boolean insecure,
      boolean credentialsOverHttp,
      Path cacheDir,
      String version) {
    this.version = version;
    RegistryOptions options =
        new RegistryOptions(
            credentials,
            insecure,
            cacheDir == null ? null : cacheDir.toAbsolutePath(),
            credentialsOverHttp);
    RegistryHttp registry = new RegistryHttp(credentials, insecure, credentialsOverHttp);
    this.writer =
        new ImageWriter(
            options,
            line -> {
              JibProgress p = progress.get();
              if (p != null) {
                p.accept(line);
              }
            },
            registry);
    this.digests = new BaseImageDigest(registry);
  }

  /** The next build, logging to {@code err}; builds of one session run one at a time. */
  public LocalBuild next(PrintWriter err) {
    JibProgress p = new JibProgress(err);
    progress.set(p);
    return new LocalBuild(writer, p, digests, script, version, err);
  }
}
