package dev.pyrelease.release;

import dev.pyrelease.api.v1alpha1.PythonReleaseSpec;

/**
 * The base image as the keys see it: the reference the release (or the command line, or the
 * operator's default for the Python version) names, and the manifest digest it resolved to for this
 * build. Decided once for the operator and the build pod alike: the build key takes the reference
 * pinned to that digest ({@code repo:tag@sha256:…}, as given when it already has one), the
 * dependency key the digest alone. A tag that moves to a new digest is a new build.
 *
 * @param digest {@code sha256:…}, or null when it is not known (the reference is then keyed as is)
 */
public record BaseImageRef(String reference, String digest) {

  /**
   * The reference a release builds on: the command line's {@code --base}, else {@code
   * spec.python.baseImage}, else the operator's default for the Python version; null when none.
   */
  public static String choose(PythonReleaseSpec spec, String override, String fallback) {
    if (override != null) {
      return override;
    }
    String named = spec.getPython() == null ? null : spec.getPython().getBaseImage();
    return named != null ? named : fallback;
  }

  /**
   * The image the venv step runs in when it is not the base: {@code spec.python.buildImage}, or
   * null when it is unset or names the base itself ({@code base}, as {@link #choose} chose it).
   */
  public static String chooseBuild(PythonReleaseSpec spec, String base) {
    String build = spec.getPython() == null ? null : spec.getPython().getBuildImage();
    return build == null || build.equals(base) ? null : build;
  }

  /** The reference pinned to the digest: what the build key takes and what the build runs. */
  public String pinned() {
    return digest == null || reference.contains("@") ? reference : reference + "@" + digest;
  }

  /** What the dependency key takes: the digest (the reference when it is not known). */
  public String forDependencyKey() {
    return digest != null ? digest : reference;
  }
}
