package dev.pyrelease.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** One distribution the closure check lets the release go without, and why. */
public class ClosureIgnore {
  @Required
  @Pattern("^([A-Za-z0-9]|[A-Za-z0-9][A-Za-z0-9._-]*[A-Za-z0-9])$")
  @JsonPropertyDescription(
      "Name of a distribution that may be required but is not pinned (or pinned at a version a"
          + " requirement excludes), e.g. click-didyoumean; compared after PEP 503 normalisation."
          + " Every other problem still fails the build.")
  private String name;

  @Required
  @Pattern("\\S")
  @JsonPropertyDescription(
      "Why the release does without it (e.g. \"celery's CLI plugin; the workers never import"
          + " it\"); shown wherever the ignored problem is reported.")
  private String reason;

  public ClosureIgnore() {}

  public ClosureIgnore(String name, String reason) {
    this.name = name;
    this.reason = reason;
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String getReason() {
    return reason;
  }

  public void setReason(String reason) {
    this.reason = reason;
  }
}
