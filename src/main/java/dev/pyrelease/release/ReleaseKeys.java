package dev.pyrelease.release;

import dev.pyrelease.api.v1alpha1.PythonReleaseSpec;
import dev.pyrelease.http.Digests;
import dev.pyrelease.index.IndexLocation;
import dev.pyrelease.python.ParsedRequirements;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The keys of one build, computed by the one function the operator (before it creates the Job) and
 * the build's source step (in the Job, and in {@code pyrelease build}) both call: equal inputs,
 * equal keys, so the key on the Job, in {@code status.revisions} and in the image's label are one
 * key.
 *
 * @param requirements the normalised requirement lines with hashes (what the venv step installs)
 * @param requirementsSha256 sha256 of those lines joined by newlines
 */
public record ReleaseKeys(
    String buildKey, String dependencyKey, List<String> requirements, String requirementsSha256) {

  /**
   * @param commitOrTree the resolved commit, or {@code tree:sha256:…} of a local source
   * @param parsed requirement lines that passed the pin policy
   */
  public static ReleaseKeys of(
      PythonReleaseSpec spec,
      ParsedRequirements parsed,
      String commitOrTree,
      IndexLocation index,
      BaseImageRef base,
      String builderVersion) {
    return of(spec, parsed, commitOrTree, index, base, null, builderVersion);
  }

  /**
   * @param buildImage the image the venv step runs in, as resolved, when it is not the base ({@link
   *     BaseImageRef#chooseBuild}); null when the venv step runs in the base
   */
  public static ReleaseKeys of(
      PythonReleaseSpec spec,
      ParsedRequirements parsed,
      String commitOrTree,
      IndexLocation index,
      BaseImageRef base,
      BaseImageRef buildImage,
      String builderVersion) {
    List<String> lines = NormalizedRequirements.withHashes(parsed.requirements());
    String indexId = BuildKeys.indexId(index);
    String appPath = spec.getSource() == null ? "." : spec.getSource().getPath();
    String buildKey =
        BuildKeys.buildKey(
            BuildKeys.sourceId(commitOrTree, appPath),
            lines,
            indexId,
            base.pinned(),
            builderVersion,
            buildCommands(spec),
            buildImage == null ? null : buildImage.pinned());
    String dependencyKey =
        BuildKeys.dependencyKey(
            lines,
            base.forDependencyKey(),
            indexId,
            builderVersion,
            buildImage == null ? null : buildImage.forDependencyKey());
    return new ReleaseKeys(
        buildKey, dependencyKey, lines, Digests.sha256(String.join("\n", lines)));
  }

  /**
   * {@code spec.build.commands}: empty when there are none. They are in the build key (another
   * command is another image) but not in the dependency key (they do not change the venv).
   */
  public static List<List<String>> buildCommands(PythonReleaseSpec spec) {
    if (spec.getBuild() == null || spec.getBuild().getCommands() == null) {
      return List.of();
    }
    return spec.getBuild().getCommands().stream()
        .map(c -> c == null ? List.<String>of() : Collections.unmodifiableList(new ArrayList<>(c)))
        .toList();
  }
}
