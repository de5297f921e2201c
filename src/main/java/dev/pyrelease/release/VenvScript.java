package dev.pyrelease.release;

import dev.pyrelease.http.Digests;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The stdlib-only venv script shipped in the jar ({@code dev/pyrelease/engine/venv.py}), and the
 * builder version every key takes: this jar's version and the script's hash, the same in the
 * operator and in the build pod (both run this jar).
 */
public final class VenvScript {
  static final String RESOURCE = "dev/pyrelease/engine/venv.py";

  /**
   * The version of what the Java side puts in a dependency image beyond the venv (its layering and
   * the SBOM), in every key: the jar's version stays the same between builds of one version, so a
   * changed image layout would otherwise reuse dependency images made the old way. 2: the SBOM is
   * CycloneDX and names each distribution's layer (every image's digest changed once with it).
   */
  static final int IMAGE_LAYOUT = 2;

  private final byte[] bytes;

  private VenvScript(byte[] bytes) {
    this.bytes = bytes;
  }

  public static VenvScript fromJar() {
    try (InputStream in = VenvScript.class.getClassLoader().getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is missing from the classpath");
      }
      return new VenvScript(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** sha256 of the script: part of the builder version, so a changed script changes the keys. */
  public String sha256() {
    return Digests.sha256(bytes);
  }

  /** Writes the script to {@code target}, executable. */
  public void writeTo(Path target) {
    try {
      Files.createDirectories(target.getParent());
      Files.write(target, bytes);
      target.toFile().setExecutable(true, false);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + target + ": " + e, e);
    }
  }

  /**
   * The builder version as keyed: the pyrelease version and the script's hash (the Java side's
   * layering is versioned by {@code pyreleaseVersion}).
   */
  public String builderVersion() {
    return builderVersion(pyreleaseVersion());
  }

  /** {@link #builderVersion()} for a given pyrelease version (tests). */
  public String builderVersion(String pyreleaseVersion) {
    return "pyrelease "
        + pyreleaseVersion
        + " layout "
        + IMAGE_LAYOUT
        + " venv.py sha256:"
        + sha256().substring(0, 16);
  }

  /** This jar's version (its manifest's Implementation-Version), {@code dev} outside a jar. */
  public static String pyreleaseVersion() {
    String v = VenvScript.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }
}
