package dev.pyrelease.cli;

import dev.pyrelease.engine.BaseImageDigest;
import dev.pyrelease.engine.JibProgress;
import dev.pyrelease.engine.LocalBuild;
import dev.pyrelease.image.ImageWriter;
import dev.pyrelease.image.RegistryCredentials;
import dev.pyrelease.image.RegistryHttp;
import dev.pyrelease.image.RegistryOptions;
import dev.pyrelease.release.VenvScript;
import dev.pyrelease.validate.ManifestReader;
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
final class BuildSession {
  private final ImageWriter writer;
  private final BaseImageDigest digests;
  private final VenvScript script = VenvScript.fromJar();
  private final ManifestReader manifests = ManifestReader.fromGeneratedCrd();
  private final AtomicReference<JibProgress> progress = new AtomicReference<>();

  /**
   * @param cacheDir Jib's layer cache, or null for Jib's default
   */
  BuildSession(RegistryCredentials credentials, boolean insecure, Path cacheDir) {
    RegistryOptions options =
        new RegistryOptions(
            credentials, insecure, cacheDir == null ? null : cacheDir.toAbsolutePath());
    RegistryHttp registry =
        new RegistryHttp(credentials, insecure, Boolean.getBoolean("sendCredentialsOverHttp"));
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

  /** The manifest reader (the CRD's schema, parsed once). */
  ManifestReader manifests() {
    return manifests;
  }

  /** The next build, logging to {@code err}; builds of one session run one at a time. */
  LocalBuild next(PrintWriter err) {
    JibProgress p = new JibProgress(err);
    progress.set(p);
    return new LocalBuild(writer, p, digests, script, BuildSupport.version(), err);
  }
}
