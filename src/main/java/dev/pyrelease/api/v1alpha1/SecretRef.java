package dev.pyrelease.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/** A Secret in the release's namespace, mounted as files only into the step that needs it. */
public class SecretRef {
  @Required
  @JsonPropertyDescription("Name of a Secret in the release's namespace.")
  private String name;

  public SecretRef() {}

  public SecretRef(String name) {
    this.name = name;
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }
}
