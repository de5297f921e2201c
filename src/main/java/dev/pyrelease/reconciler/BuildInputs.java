package dev.pyrelease.reconciler;

import dev.pyrelease.api.v1alpha1.IndexSpec;
import dev.pyrelease.api.v1alpha1.PythonRelease;
import dev.pyrelease.engine.BuildKeys;
import dev.pyrelease.engine.NormalizedRequirements;
import dev.pyrelease.index.IndexLocation;
import dev.pyrelease.python.ParsedRequirements;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * Everything a build is a function of, and its key: equal keys mean an equal image, so a retained
 * revision with the key is re-activated instead of built. Pure.
 */
record BuildInputs(String commit, String baseImage, String requirementsSha256, String buildKey) {

  static BuildInputs of(
      PythonRelease release,
      String commit,
      ParsedRequirements parsed,
      String baseImage,
      String builder) {
    List<String> lines = NormalizedRequirements.withHashes(parsed.requirements());
    String source = BuildKeys.sourceId(commit, release.getSpec().getSource().getPath());
    String key =
        BuildKeys.buildKey(
            source, lines, indexId(release.getSpec().getIndex()), baseImage, builder);
    return new BuildInputs(commit, baseImage, sha256(String.join("\n", lines)), key);
  }

  static String indexId(IndexSpec index) {
    IndexLocation loc =
        index.getUrl() != null
            ? IndexLocation.simple(index.getUrl())
            : IndexLocation.findLinks(index.getFindLinks());
    return BuildKeys.indexId(loc);
  }

  static String sha256(String s) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
