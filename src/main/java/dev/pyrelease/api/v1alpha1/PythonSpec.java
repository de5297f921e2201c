package dev.pyrelease.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
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
}
