package dev.pyrelease.reconciler;

import dev.pyrelease.api.v1alpha1.PythonRelease;
import dev.pyrelease.python.ParsedRequirements;
import dev.pyrelease.release.BaseImageRef;
import dev.pyrelease.release.IndexLocations;
import dev.pyrelease.release.NormalizedRequirements;
import dev.pyrelease.release.ReleaseKeys;
import java.util.List;

/**
 * What the build stage needs of a build: the commit, the base pinned to its digest (what the Job
 * runs and keys), the build image pinned likewise when the venv step runs in one, the keys,
 * computed by {@link ReleaseKeys} as the build pod computes them, and the distributions the pins
 * install (kept on the revision for {@code pyrelease audit}).
 */
record BuildInputs(
    String commit,
    String baseImage,
    String requirementsSha256,
    String buildKey,
    String buildImage,
    List<String> distributions) {

  BuildInputs(String commit, String baseImage, String requirementsSha256, String buildKey) {
    this(commit, baseImage, requirementsSha256, buildKey, null, List.of());
  }

  static BuildInputs of(
      PythonRelease release,
      String commit,
      ParsedRequirements parsed,
      BaseImageRef base,
      String builderVersion) {
    return of(release, commit, parsed, base, null, builderVersion);
  }

  /**
   * @param buildImage the image the venv step runs in, resolved, when it is not the base; or null
   */
  static BuildInputs of(
      PythonRelease release,
      String commit,
      ParsedRequirements parsed,
      BaseImageRef base,
      BaseImageRef buildImage,
      String builderVersion) {
    var spec = release.getSpec();
    ReleaseKeys keys =
        ReleaseKeys.of(
            spec,
            parsed,
            commit,
            IndexLocations.of(spec.getIndex()),
            base,
            buildImage,
            builderVersion);
    return new BuildInputs(
        commit,
        base.pinned(),
        keys.requirementsSha256(),
        keys.buildKey(),
        buildImage == null ? null : buildImage.pinned(),
        NormalizedRequirements.distributions(parsed.requirements()));
  }
}
