package dev.pyrelease.release;

import dev.pyrelease.http.Digests;
import dev.pyrelease.index.IndexLocation;
import java.net.URI;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The two content keys of a build, pure functions of their inputs.
 *
 * <ul>
 *   <li><b>build key</b> = sha256 of (resolved commit, or the tree hash of a local source; the
 *       normalised requirement lines; the index location; the base image reference (its digest when
 *       known); the builder version; the build commands, when there are any; the build image pinned
 *       to its digest, when the venv step runs in one other than the base). A release whose build
 *       key matches a retained revision is not built again.
 *   <li><b>dependency key</b> = sha256 of (normalised requirement lines with hashes; the base image
 *       digest; the index location; the builder version; the build image's digest, when there is
 *       one). The venv layers depend only on these, so they are pushed once as {@code
 *       <repository>:deps-<key>}.
 * </ul>
 *
 * Every field is length-prefixed and labelled, so no two different inputs serialise alike. The
 * index location never includes credentials.
 */
public final class BuildKeys {
  private BuildKeys() {}

  /**
   * The build key's source: the commit (or tree hash), and the app directory when it is not the
   * root, since the same commit with another {@code spec.source.path} is another image. The
   * operator's reconciler and the build's source step key alike with it.
   */
  public static String sourceId(String commitOrTree, String appPath) {
    return appPath == null || appPath.isEmpty() || appPath.equals(".")
        ? commitOrTree
        : commitOrTree + ":" + appPath;
  }

  /** The index as keyed: kind and URLs, without credentials. */
  public static String indexId(IndexLocation location) {
    return location.kind().name().toLowerCase(java.util.Locale.ROOT)
        + " "
        + location.urls().stream().map(URI::toString).collect(Collectors.joining(" "));
  }

  /** The build key of a release without build commands. */
  public static String buildKey(
      String sourceId,
      List<String> normalizedLines,
      String indexId,
      String baseImage,
      String builderVersion) {
    return buildKey(sourceId, normalizedLines, indexId, baseImage, builderVersion, List.of());
  }

  /**
   * @param buildCommands {@code spec.build.commands}, in order, each as its argument vector; none
   *     leaves the key as it is without them (the field is added only when there are commands)
   */
  public static String buildKey(
      String sourceId,
      List<String> normalizedLines,
      String indexId,
      String baseImage,
      String builderVersion,
      List<List<String>> buildCommands) {
    return buildKey(
        sourceId, normalizedLines, indexId, baseImage, builderVersion, buildCommands, null);
  }

  /**
   * @param buildImage {@code spec.python.buildImage} pinned to its digest when the venv step runs
   *     in an image other than the base, else null (the key is then as it was without it)
   */
  public static String buildKey(
      String sourceId,
      List<String> normalizedLines,
      String indexId,
      String baseImage,
      String builderVersion,
      List<List<String>> buildCommands,
      String buildImage) {
    Fields f = new Fields("pyrelease build key v1");
    f.add("source", Objects.requireNonNull(sourceId, "sourceId"));
    f.add("requirements", normalizedLines);
    f.add("index", indexId);
    f.add("base", baseImage);
    f.add("builder", builderVersion);
    if (!buildCommands.isEmpty()) {
      f.addCommands("commands", buildCommands);
    }
    if (buildImage != null) {
      f.add("build image", buildImage);
    }
    return f.sha256();
  }

  public static String dependencyKey(
      List<String> normalizedLinesWithHashes,
      String baseImageDigest,
      String indexId,
      String builderVersion) {
    return dependencyKey(normalizedLinesWithHashes, baseImageDigest, indexId, builderVersion, null);
  }

  /**
   * @param buildImageDigest the digest of the image the venv step runs in when it is not the base
   *     (its compilers built the venv's sdists), else null
   */
  public static String dependencyKey(
      List<String> normalizedLinesWithHashes,
      String baseImageDigest,
      String indexId,
      String builderVersion,
      String buildImageDigest) {
    Fields f = new Fields("pyrelease dependency key v1");
    f.add("requirements", normalizedLinesWithHashes);
    f.add("base", baseImageDigest);
    f.add("index", indexId);
    f.add("builder", builderVersion);
    if (buildImageDigest != null) {
      f.add("build image", buildImageDigest);
    }
    return f.sha256();
  }

  /**
   * The rebase key: the dependency key without the base's digest — the pins with hashes, the base
   * as named (its repository, without tag or digest), the index and the builder version. The
   * dependency images of one rebase key differ only in the base digest they were built on; the
   * newest is tagged {@link #rebaseTag}, where a build on a patched base finds the venv it can
   * keep.
   */
  public static String rebaseKey(
      List<String> normalizedLinesWithHashes,
      String baseRepository,
      String indexId,
      String builderVersion) {
    Fields f = new Fields("pyrelease rebase key v1");
    f.add("requirements", normalizedLinesWithHashes);
    f.add("base", baseRepository);
    f.add("index", indexId);
    f.add("builder", builderVersion);
    return f.sha256();
  }

  /** The tag of the newest dependency image of a rebase key: {@code rebase-<key>}. */
  public static String rebaseTag(String rebaseKey) {
    return "rebase-" + rebaseKey;
  }

  /** The tag of a dependency image: {@code deps-<key>} (69 characters, a valid tag). */
  public static String dependencyTag(String dependencyKey) {
    return "deps-" + dependencyKey;
  }

  private static final class Fields {
    private final StringBuilder text = new StringBuilder();

    Fields(String domain) {
      text.append(domain).append('\n');
    }

    void add(String name, String value) {
      Objects.requireNonNull(value, name);
      text.append(name).append(' ').append(value.length()).append(':').append(value).append('\n');
    }

    void add(String name, List<String> values) {
      text.append(name).append(" [").append(values.size()).append("]\n");
      for (String v : values) {
        add("-", v);
      }
    }

    void addCommands(String name, List<List<String>> commands) {
      text.append(name).append(" [").append(commands.size()).append("]\n");
      for (List<String> argv : commands) {
        add("-", argv);
      }
    }

    String sha256() {
      return Digests.sha256(text.toString());
    }
  }
}
