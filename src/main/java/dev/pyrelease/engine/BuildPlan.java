package dev.pyrelease.engine;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.pyrelease.python.Marker;
import dev.pyrelease.python.Pin;
import dev.pyrelease.python.TargetPython;
import dev.pyrelease.python.Version;
import dev.pyrelease.release.BuildKeys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * What the source step decided, written to {@code plan.json} in the workspace so that the venv and
 * assemble steps (separate containers in the build Job) need neither the manifest nor the
 * checkout's history. Holds no credentials.
 *
 * @param release the release's name
 * @param buildKey see {@link BuildKeys}
 * @param dependencyKey see {@link BuildKeys}
 * @param source the resolved commit, or {@code tree:sha256:...} of a local source
 * @param sourceUrl the release's git URL without credentials (the image's source label), or null
 * @param builderVersion the builder version that went into the keys
 * @param requirements the normalised requirement lines (with hashes), as in requirements.txt
 * @param pins the pins, for the closure check
 * @param pythonVersion the release's X.Y
 * @param indexUrl the simple index URL without credentials, or null
 * @param findLinks find-links URLs without credentials (when indexUrl is null)
 * @param requireHashes pip runs with --require-hashes
 * @param closureCheck whether a closure failure fails the build
 * @param baseImage the base image reference as given
 * @param baseImageDigest its manifest digest ({@code sha256:...}), or null when unknown
 * @param repository the image repository (no tag)
 * @param appPath the app directory relative to the source root ({@code .} for the root)
 * @param command the release's run command (the image's command)
 * @param port the release's port (exposed)
 * @param buildCommands {@code spec.build.commands} (in the build key), run after the venv step in
 *     the app directory; empty when there are none
 * @param closureIgnore {@code spec.requirements.closure.ignore}: reasons by normalised name of the
 *     distributions the closure check lets the release go without (not in any key)
 * @param buildImage {@code spec.python.buildImage} when the venv step runs in an image other than
 *     the base (the run image), else null
 * @param buildImageDigest its manifest digest, or null
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record BuildPlan(
    String release,
    String buildKey,
    String dependencyKey,
    String source,
    String sourceUrl,
    String builderVersion,
    List<String> requirements,
    List<PlannedPin> pins,
    String pythonVersion,
    String indexUrl,
    List<String> findLinks,
    boolean requireHashes,
    boolean closureCheck,
    String baseImage,
    String baseImageDigest,
    String repository,
    String appPath,
    List<String> command,
    int port,
    List<List<String>> buildCommands,
    java.util.Map<String, String> closureIgnore,
    String buildImage,
    String buildImageDigest) {

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  public BuildPlan {
    requirements = List.copyOf(requirements);
    pins = List.copyOf(pins);
    findLinks = findLinks == null ? List.of() : List.copyOf(findLinks);
    command = command == null ? List.of() : List.copyOf(command);
    buildCommands =
        buildCommands == null ? List.of() : buildCommands.stream().map(List::copyOf).toList();
    closureIgnore =
        closureIgnore == null ? java.util.Map.of() : java.util.Map.copyOf(closureIgnore);
  }

  /** Whether the venv step runs in a build image other than the base. */
  public boolean hasBuildImage() {
    return buildImage != null;
  }

  /** Whether the release has build commands. */
  public boolean hasBuildCommands() {
    return !buildCommands.isEmpty();
  }

  /**
   * One pin as the closure check needs it.
   *
   * @param marker the line's environment marker, or null: a pin whose marker is false for the
   *     interpreter is not installed (pip skips it), so the closure check does not count it
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record PlannedPin(
      String name, String version, List<String> extras, String origin, String marker) {
    public PlannedPin(String name, String version, List<String> extras, String origin) {
      this(name, version, extras, origin, null);
    }

    public Pin toPin() {
      return new Pin(name, Version.parse(version), Set.copyOf(extras), origin);
    }

    /** Whether pip installs it for {@code target}. */
    public boolean appliesTo(TargetPython target) {
      return marker == null || Marker.parse(marker).evaluate(target, Set.of());
    }
  }

  /** The dependency image's tag, {@code deps-<key>}. */
  public String dependencyTag() {
    return BuildKeys.dependencyTag(dependencyKey);
  }

  public List<Pin> closurePins() {
    return pins.stream().map(PlannedPin::toPin).toList();
  }

  /** The pins pip installs for {@code target} (those whose marker holds). */
  public List<Pin> closurePins(TargetPython target) {
    return pins.stream().filter(p -> p.appliesTo(target)).map(PlannedPin::toPin).toList();
  }

  public void write(Path file) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      JSON.writeValue(tmp.toFile(), this);
      Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw BuildException.environment("cannot write " + file + ": " + e.getMessage());
    }
  }

  public static BuildPlan read(Path file) {
    try {
      return JSON.readValue(file.toFile(), BuildPlan.class);
    } catch (IOException e) {
      throw BuildException.environment(
          "cannot read the build plan "
              + file
              + " (did the source step run in this workspace?): "
              + e.getMessage());
    }
  }
}
