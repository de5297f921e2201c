package dev.pyrelease.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** The target interpreter. */
public class PythonSpec {
  @Required
  @Pattern("^3\\.[0-9]+$")
  @JsonPropertyDescription(
      "The target interpreter version, major.minor (e.g. \"3.11\"). Markers, wheel tags and the"
          + " closure check are evaluated for it, and the base image must provide it.")
  private String version;

  @JsonPropertyDescription(
      "The base image; must contain python3 of `version` with pip and venv. Pin it by digest for"
          + " reproducible builds. Default: the operator's configured image for the version.")
  private String baseImage;

  /** Build again on a base image whose tag moved. */
  public static final String REBUILD = "Rebuild";

  /** Keep the digest the serving build has until the spec changes. */
  public static final String IGNORE = "Ignore";

  @Pattern("^(Rebuild|Ignore)$")
  @Default(REBUILD)
  @JsonPropertyDescription(
      "What a moved base image tag does (the operator re-resolves tags at an interval it is"
          + " configured with): Rebuild (the default) builds a new revision of the same commit on"
          + " the new digest and rolls it out as usual (hooks, readiness gate, warm standby of the"
          + " old revision, so a bad base is rolled back by setting spec.revision); Ignore keeps"
          + " the digest the current revision was built on until the spec changes. Rebuild is the"
          + " default because a moved tag is how base images ship security fixes, and the key of a"
          + " build already includes the digest: the operator would otherwise build on the new"
          + " digest at whatever moment it next reconciled for another reason. A base named by"
          + " digest never moves.")
  private String baseImageUpdates = REBUILD;

  @Pattern("^[^\\s]+$")
  @JsonPropertyDescription(
      "The image the venv step runs in: where pip builds sdists, so compilers and headers live"
          + " here and not in what ships. Default: the base image. The release image is still built"
          + " on the base image (the run image). It must have the base image's interpreter (the"
          + " same path, version, ABI and platform, the same file), checked before pip runs; the"
          + " shared libraries of the installed extension modules are checked against the base"
          + " image. Resolved to a digest like the base, and part of the build and dependency keys"
          + " when it differs from the base. Build commands (spec.build.commands) run in the base"
          + " image.")
  private String buildImage;

  public String getVersion() {
    return version;
  }

  public void setVersion(String version) {
    this.version = version;
  }

  public String getBaseImage() {
    return baseImage;
  }

  public void setBaseImage(String baseImage) {
    this.baseImage = baseImage;
  }

  public String getBaseImageUpdates() {
    return baseImageUpdates;
  }

  public void setBaseImageUpdates(String baseImageUpdates) {
    this.baseImageUpdates = baseImageUpdates;
  }

  /** Whether a moved base tag builds again (anything but Ignore does, as the default). */
  @JsonIgnore
  public boolean rebuildsOnBaseUpdates() {
    return !IGNORE.equals(baseImageUpdates);
  }

  public String getBuildImage() {
    return buildImage;
  }

  public void setBuildImage(String buildImage) {
    this.buildImage = buildImage;
  }
}
